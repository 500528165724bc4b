using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmCourse.Chat;
using LlmCourse.Serving;
using Microsoft.Extensions.AI;

namespace LlmCourse.Tests.Serving;

/// <summary>
/// `llmcourse serve` driven the way an application drives it: the official OpenAI .NET client through
/// Microsoft.Extensions.AI's IChatClient, and raw HTTP for what a well-behaved client never sends.
/// </summary>
public class ServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ItListsItsModels()
    {
        var models = (await fixture.OpenAi().GetOpenAIModelClient().GetModelsAsync()).Value;

        Assert.Equal(["random", "tiny"], models.Select(m => m.Id).Order());
        Assert.All(models, m => Assert.Equal("llmcourse", m.OwnedBy));
        using var one = JsonDocument.Parse(await fixture.Http.GetStringAsync("v1/models/tiny"));
        Assert.Equal(64, one.RootElement.GetProperty("context_length").GetInt32());
    }

    [Fact]
    public async Task APlainRequestGetsTheSameAnswerAndUsageAsInProcess()
    {
        var overHttp = await fixture.Chat("tiny").GetResponseAsync(TinyChat.ColourQuestion);
        var inProcess = await new CourseChatClient(TinyChat.Trained(), "tiny").GetResponseAsync(TinyChat.ColourQuestion);

        Assert.Equal(TinyChat.ColourAnswer, overHttp.Text);
        Assert.Equal("tiny", overHttp.ModelId);
        Assert.Equal(ChatFinishReason.Stop, overHttp.FinishReason);
        Assert.Equal(inProcess.Usage!.InputTokenCount, overHttp.Usage!.InputTokenCount);
        Assert.Equal(inProcess.Usage.OutputTokenCount, overHttp.Usage.OutputTokenCount);
        Assert.Equal(inProcess.Usage.TotalTokenCount, overHttp.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task AStreamedRequestArrivesInSeveralUpdatesThatMakeTheSameText()
    {
        var chat = fixture.Chat("random");
        var options = new ChatOptions { Temperature = 0.9f, Seed = 7, MaxOutputTokens = 24 };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("Tell me a story.", options)) updates.Add(update);
        var plain = await chat.GetResponseAsync("Tell me a story.", options);

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 5, $"expected many text updates, got {updates.Count(u => u.Text.Length > 0)}");
        Assert.Equal(plain.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates.Last(u => u.FinishReason is not null).FinishReason);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details;
        Assert.Equal(24, usage.OutputTokenCount);
        Assert.Equal(plain.Usage!.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task TheStreamIsServerSentEventsInOpenAIsChunkShapeEndingWithDone()
    {
        var body = """{"model": "tiny", "stream": true, "stream_options": {"include_usage": true}, "messages": [{"role": "user", "content": "Say hello."}]}""";
        using var response = await fixture.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var t) ? t.GetString() : ""));
        Assert.Equal(TinyChat.HelloAnswer, text);
        var finishes = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("finish_reason")).Where(f => f.ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal("stop", Assert.Single(finishes).GetString());
        // include_usage: a last chunk with no choices and the token counts.
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(ChatTemplate.Course.Tokenizer.Encode(TinyChat.HelloAnswer).Count, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ToolCallsTheServerRanComeBackBesideTheText()
    {
        var body = """{"model": "tiny", "messages": [{"role": "user", "content": "What is 2+3?"}]}""";
        using var json = await PostJson(body, HttpStatusCode.OK);

        var message = json.RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(TinyChat.SumAnswer, message.GetProperty("content").GetString());
        var call = Assert.Single(message.GetProperty("builtin_tool_calls").EnumerateArray());
        Assert.Equal(TinyChat.SumCall, call.GetProperty("call").GetString());
        Assert.Equal("5", call.GetProperty("result").GetString());
        Assert.False(message.TryGetProperty("tool_calls", out _));   // that would ask the client to run them again
        Assert.Equal("stop", json.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ConcurrentRequestsEachGetTheirOwnAnswer()
    {
        var chat = fixture.Chat("tiny");
        async Task<string> Streamed(string question)
        {
            var text = new StringBuilder();
            await foreach (var update in chat.GetStreamingResponseAsync(question)) text.Append(update.Text);
            return text.ToString();
        }

        var colour = Task.Run(async () => (await chat.GetResponseAsync(TinyChat.ColourQuestion)).Text);
        var hello = Task.Run(async () => (await chat.GetResponseAsync(TinyChat.HelloQuestion)).Text);
        var sum = Task.Run(() => Streamed(TinyChat.SumQuestion));
        var hello2 = Task.Run(() => Streamed(TinyChat.HelloQuestion));
        var answers = await Task.WhenAll(colour, hello, sum, hello2);

        Assert.Equal([TinyChat.ColourAnswer, TinyChat.HelloAnswer, TinyChat.SumAnswer, TinyChat.HelloAnswer], answers);
    }

    // ---- bad requests, as the OpenAI client sends them ----

    [Fact]
    public async Task AnUnknownModelIs404WithTheModelsItHas()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Chat("gpt-4o").GetResponseAsync("Hi"));

        Assert.Equal(404, e.Status);
        var error = ErrorOf(e);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("tiny", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("temperature", "temperature")]
    [InlineData("top_p", "top_p")]
    [InlineData("max_tokens", "max_tokens")]
    [InlineData("context", "messages")]
    [InlineData("image", "messages[0].content")]
    public async Task BadOptionsAndMessagesAre400WithTheFieldNamed(string what, string param)
    {
        var options = what switch
        {
            "temperature" => new ChatOptions { Temperature = 3 },
            "top_p" => new ChatOptions { TopP = 1.5f },
            "max_tokens" => new ChatOptions { MaxOutputTokens = 0 },
            _ => new ChatOptions(),
        };
        ChatMessage message = what switch
        {
            "context" => new(ChatRole.User, string.Join(" ", Enumerable.Repeat("words", 100))),
            "image" => new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 0x89, 0x50, 0x4e, 0x47 }, "image/png")]),
            _ => new(ChatRole.User, "Hi"),
        };

        var e = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Chat("tiny").GetResponseAsync([message], options));

        Assert.Equal(400, e.Status);
        Assert.Equal(param, ErrorOf(e).GetProperty("param").GetString());
        if (what == "context") Assert.Equal("context_length_exceeded", ErrorOf(e).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AStreamedBadRequestFailsBeforeAnyChunk()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in fixture.Chat("tiny").GetStreamingResponseAsync("Hi", new ChatOptions { Temperature = -1 })) { }
        });

        Assert.Equal(400, e.Status);
    }

    // ---- bad requests a client library would not send ----

    [Theory]
    [InlineData("""{"model": "tiny", "messages": [""", 400, null, "invalid_json")]
    [InlineData("""[1, 2, 3]""", 400, null, "invalid_json")]
    [InlineData("""{"messages": [{"role": "user", "content": "Hi"}]}""", 400, "model", "missing_required_parameter")]
    [InlineData("""{"model": "tiny", "messages": "Hi"}""", 400, "messages", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": []}""", 400, "messages", null)]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "n": 2}""", 400, "n", "unsupported_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "temperature": "hot"}""", 400, "temperature", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "stop": 42}""", 400, "stop", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "top_k": 0}""", 400, "top_k", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "top_logprobs": 3}""", 400, "top_logprobs", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "logprobs": true, "top_logprobs": 21}""", 400, "top_logprobs", "invalid_value")]
    // Issue 21's bad inputs, each decided as OpenAI does: half a surrogate pair, a user message without content, more
    // tokens than the model can ever write (refused with the limit, not quietly capped).
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "\ud800"}]}""", 400, "messages[0].content", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi \udfff there"}], "stop": "x"}""", 400, "messages[0].content", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "stop": ["\ud800"]}""", 400, "stop[0]", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": null}]}""", 400, "messages[0].content", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "system", "content": null}, {"role": "user", "content": "Hi"}]}""", 400, "messages[0].content", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user"}]}""", 400, "messages[0].content", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1000000000000}""", 400, "max_tokens", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 65}""", 400, "max_tokens", "invalid_value")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1e12}""", 400, "max_tokens", "invalid_type")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function", "function": {"name": "weather"}}]}""", 400, "tools", "unsupported_parameter")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "wizard", "content": "Hi"}]}""", 400, "messages[0].role", "invalid_value")]
    [InlineData("""{"model": "nope", "messages": [{"role": "user", "content": "Hi"}]}""", 404, "model", "model_not_found")]
    public async Task MalformedRequestsGetOpenAIShapedErrors(string body, int status, string? param, string? code)
    {
        using var json = await PostJson(body, (HttpStatusCode)status);

        var error = json.RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnAssistantMessageMayStillHaveNoContent()
    {
        // Only the assistant may leave content out (OpenAI's turn that only calls tools): the null-content refusal is for the others.
        using var json = await PostJson("""
            {"model": "tiny", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": null},
             {"role": "user", "content": "Say hello."}]}
            """, HttpStatusCode.OK);

        Assert.Equal("chat.completion", json.RootElement.GetProperty("object").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]   // what curl -d sends without -H
    public async Task ABodyThatIsNotDeclaredAsJsonIs415(string contentType)
    {
        using var content = new StringContent("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}]}""", Encoding.UTF8, contentType);
        using var response = await fixture.Http.PostAsync("v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unsupported_media_type", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("application/json", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413()
    {
        var big = new string('a', (int)ServerFixture.MaxRequestBytes + 1000);
        using var json = await PostJson($$"""{"model": "tiny", "messages": [{"role": "user", "content": "{{big}}"}]}""", HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("request_too_large", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RoutesAndMethodsThatDoNotExistGetOpenAIShapedErrors()
    {
        using var missing = await fixture.Http.GetAsync("v1/embeddings");
        using var wrongMethod = await fixture.Http.GetAsync("v1/chat/completions");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        AssertErrorShape(await missing.Content.ReadAsStringAsync());
        AssertErrorShape(await wrongMethod.Content.ReadAsStringAsync());
    }

    // ---- the log, and clients that leave ----

    [Fact]
    public async Task TheLogHasOneLinePerRequestAndNothingOfWhatWasSaid()
    {
        const string secret = "my password is swordfish";
        var before = fixture.Log.Count;

        await fixture.Chat("tiny").GetResponseAsync(secret);
        await Assert.ThrowsAsync<ClientResultException>(() => fixture.Chat("tiny").GetResponseAsync(secret, new ChatOptions { Temperature = 5 }));
        await Task.Delay(200);   // the line is written as the response completes

        var lines = fixture.Log.Skip(before).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("POST /v1/chat/completions -> 200", lines[0]);
        Assert.Contains("model tiny", lines[0]);
        Assert.Contains("-> 400", lines[1]);
        Assert.DoesNotContain(lines, l => l.Contains("swordfish") || l.Contains("password"));
    }

    [Fact]
    public async Task AClientThatGoesAwayStopsItsReply()
    {
        var gate = ModelGate.For(fixture.Random.Model.Model);
        var before = fixture.RandomCounter.Written;
        var body = """{"model": "random", "stream": true, "max_tokens": 200, "messages": [{"role": "user", "content": "Tell me everything."}]}""";
        // A client that drains nothing: hanging up closes the connection (HttpClient would otherwise read the rest to reuse it).
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Server.Url };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
        }   // the client hangs up after the first chunk

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (gate.CurrentCount == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(1, gate.CurrentCount);
        Assert.True(fixture.RandomCounter.Written - before < 200, $"the reply went on to {fixture.RandomCounter.Written - before} tokens after the client left");
    }

    [Fact]
    public async Task APortInUseOrABadHostIsAClearError()
    {
        var models = new Dictionary<string, ChatAssistant> { ["random"] = fixture.Random };

        var busy = await Assert.ThrowsAsync<IOException>(() => CourseServer.StartAsync(models, port: fixture.Server.Url.Port));
        var host = await Assert.ThrowsAsync<ArgumentException>(() => CourseServer.StartAsync(models, host: "my-laptop"));

        Assert.Contains($"127.0.0.1:{fixture.Server.Url.Port}", busy.Message);
        Assert.Contains("Pick another one", busy.Message);
        Assert.Contains("'my-laptop'", host.Message);
    }

    async Task<JsonDocument> PostJson(string body, HttpStatusCode expected)
    {
        using var response = await fixture.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        if (expected != HttpStatusCode.OK) AssertErrorShape(text);
        return JsonDocument.Parse(text);
    }

    /// <summary>OpenAI's error shape, all four fields present, and nothing of the server's insides.</summary>
    static void AssertErrorShape(string text)
    {
        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _), text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    static JsonElement ErrorOf(ClientResultException e) =>
        JsonDocument.Parse(e.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
}
