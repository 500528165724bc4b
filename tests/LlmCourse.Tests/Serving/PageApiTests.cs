using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Serving;
using LlmCourse.Tokenization;
using OpenAI;
using OpenAI.Chat;

namespace LlmCourse.Tests.Serving;

/// <summary>
/// What the chat page needs from the server, tried as any client would: log probabilities on chat completions through
/// the official OpenAI client, plain completions for a base model, a clear 404 for a model that is not built, 503 when
/// the server is busy, and the page's own files and routes.
/// </summary>
public sealed class PageApiTests : IAsyncLifetime
{
    CourseServer server = null!;
    HttpClient http = null!;
    readonly CountingTokenizer slowCounter = new(ChatTemplate.Course.Tokenizer);

    /// <summary>A model the page lists but this server does not have: its file does not exist.</summary>
    static readonly CourseModel NotBuilt = new("honest", "models/not-built-in-tests.ckpt", "the honest assistant (part 5)", "./llmcourse train honest", IsChat: true);

    public async Task InitializeAsync()
    {
        var tokenizer = CourseTokenizer.LoadShipped();
        var baseModel = new LanguageModel(new Gpt(new GptConfig(tokenizer.VocabSize, ContextLength: 64, Layers: 1, Heads: 2, Width: 32), seed: 1), tokenizer);
        // "slow" writes at most 50 tokens a second, so a test can find it busy.
        slowCounter.OnToken = _ => Thread.Sleep(20);
        var chat = new Dictionary<string, ChatAssistant>
        {
            ["tiny"] = TinyChat.Trained(),
            ["slow"] = TinyChat.Random(TinyChat.SeedThatKeepsWriting(), context: 256, tokenizer: slowCounter),
        };
        server = await CourseServer.StartAsync(chat, baseModels: new Dictionary<string, LanguageModel> { ["base"] = baseModel },
            unavailable: [NotBuilt], maxWaiting: 0);
        http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    ChatClient OpenAiChat(string model) =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.BaseUrl }).GetChatClient(model);

    // ---- logprobs on chat completions ----

    [Fact]
    public async Task TheOfficialClientGetsLogprobsForEveryTokenOfTheReply()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };
        OpenAI.Chat.ChatCompletion reply = await OpenAiChat("tiny").CompleteChatAsync([new UserChatMessage(TinyChat.ColourQuestion)], options);

        Assert.Equal(TinyChat.ColourAnswer, reply.Content[0].Text);
        var tokens = reply.ContentTokenLogProbabilities;
        Assert.Equal(reply.Usage.OutputTokenCount, tokens.Count);   // <|end|> ends the turn; it is neither text nor counted
        Assert.Equal(TinyChat.ColourAnswer, string.Concat(tokens.Select(t => t.Token)));
        Assert.All(tokens, t =>
        {
            Assert.InRange(t.LogProbability, -9999, 0);
            Assert.Equal(3, t.TopLogProbabilities.Count);
            // Greedy: the chosen token is the model's most likely one, so it heads its own list.
            Assert.Equal(t.Token, t.TopLogProbabilities[0].Token);
            Assert.Equal(t.LogProbability, t.TopLogProbabilities[0].LogProbability, 6);
            Assert.Equal(Encoding.UTF8.GetBytes(t.Token), t.Utf8Bytes!.Value.ToArray());
        });
    }

    [Fact]
    public async Task StreamedLogprobsAreTheSameAsInOneReply()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2 };
        OpenAI.Chat.ChatCompletion whole = await OpenAiChat("tiny").CompleteChatAsync([new UserChatMessage(TinyChat.HelloQuestion)], options);
        var streamed = new List<ChatTokenLogProbabilityDetails>();
        await foreach (var update in OpenAiChat("tiny").CompleteChatStreamingAsync([new UserChatMessage(TinyChat.HelloQuestion)], options))
            streamed.AddRange(update.ContentTokenLogProbabilities);

        Assert.Equal(whole.ContentTokenLogProbabilities.Select(t => (t.Token, t.LogProbability)), streamed.Select(t => (t.Token, t.LogProbability)));
    }

    [Fact]
    public async Task WithoutLogprobsTheChoiceSaysNull()
    {
        using var json = await Post("v1/chat/completions", """{"model": "tiny", "messages": [{"role": "user", "content": "Say hello."}]}""", HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
    }

    // ---- plain completions for the base model ----

    [Fact]
    public async Task TheBaseModelContinuesTextWithLogprobsInTheLegacyShape()
    {
        using var json = await Post("v1/completions", """{"model": "base", "prompt": "The capital of France is", "max_tokens": 6, "logprobs": 2}""",
            HttpStatusCode.OK);

        var root = json.RootElement;
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(6, root.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var logprobs = choice.GetProperty("logprobs");
        Assert.Equal(6, logprobs.GetProperty("tokens").GetArrayLength());
        Assert.Equal(6, logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), top => Assert.InRange(top.EnumerateObject().Count(), 1, 2));
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToList();
        Assert.Equal(0, offsets[0]);
        Assert.Equal(offsets.Order(), offsets);
    }

    [Fact]
    public async Task AStreamedCompletionMakesTheSameText()
    {
        const string body = """{"model": "base", "prompt": "Once upon a time", "max_tokens": 12, "temperature": 0.8, "seed": 5""";
        using var whole = await Post("v1/completions", body + "}", HttpStatusCode.OK);
        using var response = await http.PostAsync("v1/completions", Json(body + """, "stream": true, "stream_options": {"include_usage": true}}"""));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(whole.RootElement.GetProperty("choices")[0].GetProperty("text").GetString(), text);
        Assert.Equal(12, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model": "base"}""", 400, "prompt", "missing_required_parameter")]
    [InlineData("""{"model": "base", "prompt": [1, 2, 3]}""", 400, "prompt", "invalid_type")]
    [InlineData("""{"model": "base", "prompt": "\ud800"}""", 400, "prompt", "invalid_value")]
    [InlineData("""{"model": "base", "prompt": "Hi", "logprobs": 6}""", 400, "logprobs", "invalid_value")]
    [InlineData("""{"model": "base", "prompt": "Hi", "max_tokens": 65}""", 400, "max_tokens", "invalid_value")]
    [InlineData("""{"model": "base", "prompt": "Hi", "echo": true}""", 400, "echo", "unsupported_parameter")]
    [InlineData("""{"model": "tiny", "prompt": "Hi"}""", 404, "model", "model_not_found")]
    public async Task BadCompletionRequestsGetOpenAIShapedErrors(string body, int status, string param, string code)
    {
        using var json = await Post("v1/completions", body, (HttpStatusCode)status);

        Assert.Equal(param, json.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(code, json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task EachEndpointPointsToTheOtherForTheWrongKindOfModel()
    {
        using var chatForBase = await Post("v1/chat/completions", """{"model": "base", "messages": [{"role": "user", "content": "Hi"}]}""", HttpStatusCode.NotFound);
        using var textForChat = await Post("v1/completions", """{"model": "tiny", "prompt": "Hi"}""", HttpStatusCode.NotFound);

        Assert.Contains("/v1/completions", Message(chatForBase));
        Assert.Contains("/v1/chat/completions", Message(textForChat));
    }

    [Fact]
    public async Task TheModelListHasTheBaseModelToo()
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync("v1/models"));

        Assert.Equal(["base", "slow", "tiny"], json.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).Order());
    }

    // ---- not built, busy ----

    [Fact]
    public async Task AModelThatIsNotBuiltIsA404NamingTheCommandThatBuildsIt()
    {
        using var json = await Post("v1/chat/completions", """{"model": "honest", "messages": [{"role": "user", "content": "Hi"}]}""", HttpStatusCode.NotFound);

        Assert.Contains("not built", Message(json));
        Assert.Contains("`./llmcourse train honest`", Message(json));
    }

    [Fact]
    public async Task ARequestForABusyModelIs503WithRetryAfter()
    {
        using var first = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = Json("""{"model": "slow", "stream": true, "max_tokens": 200, "messages": [{"role": "user", "content": "Tell me everything."}]}"""),
        };
        var before = slowCounter.Written;
        using var running = await http.SendAsync(first, HttpCompletionOption.ResponseHeadersRead);
        await WaitUntil(() => slowCounter.Written > before);

        using var second = await http.PostAsync("v1/chat/completions", Json("""{"model": "slow", "messages": [{"role": "user", "content": "Hi"}]}"""));
        var text = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("server_busy", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("server_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        // Another model is not held up by it.
        using var other = await Post("v1/chat/completions", """{"model": "tiny", "messages": [{"role": "user", "content": "Say hello."}]}""", HttpStatusCode.OK);
    }

    // ---- the page's own routes ----

    [Fact]
    public async Task ThePageAndItsFilesComeFromTheAssemblyWithAContentSecurityPolicy()
    {
        foreach (var (path, type) in new[] { ("", "text/html"), ("page.js", "text/javascript"), ("page.css", "text/css") })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy);
            Assert.DoesNotContain("unsafe-inline", policy);
            Assert.DoesNotContain("http", await response.Content.ReadAsStringAsync());   // nothing from another site: no CDN
        }
    }

    [Fact]
    public async Task TheCatalogListsServedModelsAndSaysHowToBuildTheOthers()
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync("page/models"));
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);

        Assert.Equal("base", models["base"].GetProperty("kind").GetString());
        Assert.True(models["tiny"].GetProperty("tools").GetBoolean());
        Assert.Equal(JsonValueKind.Null, models["tiny"].GetProperty("unavailable").ValueKind);
        Assert.False(models["honest"].GetProperty("built").GetBoolean());
        Assert.Contains("./llmcourse train honest", models["honest"].GetProperty("unavailable").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("defaults").GetProperty("temperature").GetDouble());
    }

    [Fact]
    public async Task ThePromptAsTheModelSeesItHasTheChatTokensAndIds()
    {
        using var json = await Post("page/prompt", """{"model": "tiny", "messages": [{"role": "user", "content": "Say hello."}]}""", HttpStatusCode.OK);
        var tokens = json.RootElement.GetProperty("tokens").EnumerateArray().ToList();
        var template = ChatTemplate.Course;

        Assert.Equal([template.EndOfTextId, template.UserId], tokens.Take(2).Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal("<|assistant|>", tokens[^1].GetProperty("text").GetString());
        Assert.True(tokens[^1].GetProperty("special").GetBoolean());
        Assert.Equal("Say hello.", string.Concat(tokens.Where(t => !t.GetProperty("special").GetBoolean()).Select(t => t.GetProperty("text").GetString())));
        Assert.Equal(tokens.Count, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(64, json.RootElement.GetProperty("context_length").GetInt32());
    }

    // ---- helpers ----

    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    async Task<JsonDocument> Post(string path, string body, HttpStatusCode expected)
    {
        using var response = await http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    static string Message(JsonDocument json) => json.RootElement.GetProperty("error").GetProperty("message").GetString()!;

    static async Task WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting");
            await Task.Delay(10);
        }
    }
}
