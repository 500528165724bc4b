using LlmCourse.Chat;
using LlmCourse.Serving;
using Microsoft.Extensions.AI;

namespace LlmCourse.Tests.Serving;

/// <summary>The course models behind IChatClient, in process: answers, usage, streaming, options, tools, cancellation.</summary>
public class ChatClientTests
{
    static CourseChatClient Client() => new(TinyChat.Trained(), "tiny");

    [Fact]
    public async Task APlainRequestGetsTheModelsAnswerAndItsTokenCounts()
    {
        var response = await Client().GetResponseAsync(TinyChat.ColourQuestion);

        Assert.Equal(TinyChat.ColourAnswer, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("tiny", response.ModelId);
        var prompt = ChatTemplate.Course.Prompt([Message.User(TinyChat.ColourQuestion)]).Count;
        Assert.Equal(prompt, response.Usage!.InputTokenCount);
        Assert.Equal(ChatTemplate.Course.Tokenizer.Encode(TinyChat.ColourAnswer).Count, response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task AStreamedReplyArrivesInPiecesThatMakeTheSameAnswer()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client().GetStreamingResponseAsync(TinyChat.HelloQuestion))
            updates.Add(update);

        var texts = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.True(texts.Count > 3, $"expected the text in several updates, got {texts.Count}");
        Assert.Equal(TinyChat.HelloAnswer, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Single(updates, u => u.FinishReason is not null);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(ChatTemplate.Course.Tokenizer.Encode(TinyChat.HelloAnswer).Count, usage.Details.OutputTokenCount);
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        // Put together the way Microsoft.Extensions.AI does it, the stream is the plain response.
        var whole = updates.ToChatResponse();
        Assert.Equal(TinyChat.HelloAnswer, whole.Text);
        Assert.Equal(usage.Details.TotalTokenCount, whole.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task SampledStreamsEqualSampledResponsesForTheSameSeed()
    {
        var client = new CourseChatClient(TinyChat.Random(seed: 2), "random");
        var options = new ChatOptions { Temperature = 1.2f, TopP = 0.95f, TopK = 50, Seed = 12345, MaxOutputTokens = 20 };

        var plain = await client.GetResponseAsync("Tell me a story.", options);
        var streamed = (await client.GetStreamingResponseAsync("Tell me a story.", options).ToChatResponseAsync()).Text;
        var otherSeed = await client.GetResponseAsync("Tell me a story.", new ChatOptions { Temperature = 1.2f, TopP = 0.95f, TopK = 50, Seed = 54321, MaxOutputTokens = 20 });

        Assert.Equal(plain.Text, streamed);
        Assert.NotEqual(plain.Text, otherSeed.Text);
    }

    [Fact]
    public async Task TheTokenLimitCutsTheReplyAndSaysSo()
    {
        var response = await Client().GetResponseAsync(TinyChat.HelloQuestion, new ChatOptions { MaxOutputTokens = 2 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(2, response.Usage!.OutputTokenCount);
        Assert.StartsWith(response.Text, TinyChat.HelloAnswer);
        Assert.True(response.Text.Length > 0 && response.Text.Length < TinyChat.HelloAnswer.Length);
    }

    [Fact]
    public async Task AStopSequenceEndsTheReplyBeforeIt()
    {
        var options = new ChatOptions { StopSequences = ["colour"] };

        var response = await Client().GetResponseAsync(TinyChat.ColourQuestion, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client().GetStreamingResponseAsync(TinyChat.ColourQuestion, options)) updates.Add(update);

        Assert.Equal("Blue is a ", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(ReplyEnd.StopSequence, Assert.IsType<ReplyFinished>(updates[^1].RawRepresentation).End);
    }

    [Fact]
    public async Task BuiltInToolCallsComeBackAsAlreadyRunFunctionCalls()
    {
        var response = await Client().GetResponseAsync(TinyChat.SumQuestion);

        Assert.Equal(TinyChat.SumAnswer, response.Text);
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], response.Messages.Select(m => m.Role));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("calculator", call.Name);
        Assert.Equal("2+3", call.Arguments!["argument"]);
        Assert.True(call.InformationalOnly);
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(response.Messages[1].Contents));
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal("5", result.Result);
        // The reply's tokens are the model's own: the call and the text, not the result the harness wrote.
        var written = ChatTemplate.Course.Tokenizer.Encode(TinyChat.SumCall).Count + 2 + ChatTemplate.Course.Tokenizer.Encode(TinyChat.SumAnswer).Count;
        Assert.Equal(written, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task AConversationWithAnEarlierToolCallGoesBackToTheModelAsItWas()
    {
        var client = Client();
        var first = await client.GetResponseAsync(TinyChat.SumQuestion);
        List<ChatMessage> history = [new(ChatRole.User, TinyChat.SumQuestion), .. first.Messages, new(ChatRole.User, TinyChat.ColourQuestion)];

        var course = MessageMapping.ToCourse(history);

        Assert.Equal([Role.User, Role.ToolCall, Role.ToolResult, Role.Assistant, Role.User], course.Select(m => m.Role));
        Assert.Equal(TinyChat.SumCall, course[1].Content);
        Assert.Equal("5", course[2].Content);
        var second = await client.GetResponseAsync(history);
        Assert.NotNull(second.Usage);
        Assert.Equal(ChatTemplate.Course.Prompt(course).Count, second.Usage.InputTokenCount);
    }

    [Fact]
    public async Task ToolModeNoneTurnsTheBuiltInToolsOff()
    {
        var response = await Client().GetResponseAsync(TinyChat.SumQuestion, new ChatOptions { ToolMode = ChatToolMode.None });

        var result = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().First();
        Assert.Equal("error: no tools are available", result.Result);
    }

    [Theory]
    [InlineData("temperature", "between 0 and 2")]
    [InlineData("top_p", "greater than 0 and at most 1")]
    [InlineData("top_k", "at least 1")]
    [InlineData("max_tokens", "at least 1")]
    [InlineData("stop", "at most 4")]
    [InlineData("frequency_penalty", "not supported")]
    [InlineData("response_format", "cannot be constrained to JSON")]
    [InlineData("tool_choice", "cannot be required")]
    [InlineData("model", "serves 'tiny'")]
    public async Task OutOfRangeOptionsAreRefusedWithTheFieldNamed(string param, string words)
    {
        ChatOptions options = param switch
        {
            "temperature" => new() { Temperature = 2.5f },
            "top_p" => new() { TopP = 0 },
            "top_k" => new() { TopK = 0 },
            "max_tokens" => new() { MaxOutputTokens = 0 },
            "stop" => new() { StopSequences = ["a", "b", "c", "d", "e"] },
            "frequency_penalty" => new() { FrequencyPenalty = 0.5f },
            "response_format" => new() { ResponseFormat = ChatResponseFormat.Json },
            "tool_choice" => new() { ToolMode = ChatToolMode.RequireAny },
            _ => new() { ModelId = "gpt-4o" },
        };
        var e = await Assert.ThrowsAsync<ChatRequestException>(() => Client().GetResponseAsync(TinyChat.ColourQuestion, options));
        Assert.Equal(param, e.Param);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public async Task ToolsOfferedByTheRequestAreRefusedWithTheReason()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => "sunny", "weather")] };

        var e = await Assert.ThrowsAsync<ChatRequestException>(() => Client().GetResponseAsync(TinyChat.ColourQuestion, options));

        Assert.Equal("tools", e.Param);
        Assert.Contains("weather", e.Message);
        Assert.Contains("built in", e.Message);
    }

    [Fact]
    public async Task AConversationLongerThanTheContextWindowIsRefused()
    {
        var tooLong = string.Join(" ", Enumerable.Repeat("words", 80));

        var e = await Assert.ThrowsAsync<ChatRequestException>(() => Client().GetResponseAsync(tooLong));

        Assert.Equal("context_length_exceeded", e.Code);
        Assert.Contains("64", e.Message);
    }

    [Fact]
    public async Task CancellingStopsGenerationWithinAToken()
    {
        var counter = new CountingTokenizer(ChatTemplate.Course.Tokenizer);
        var assistant = TinyChat.Random(TinyChat.SeedThatKeepsWriting(), context: 256, tokenizer: counter);
        var client = new CourseChatClient(assistant, "random");
        var full = await client.GetResponseAsync("Tell me everything.", new ChatOptions { MaxOutputTokens = 200 });
        Assert.Equal(200, full.Usage!.OutputTokenCount);   // this seed writes on to the limit, so a stop is visible

        using var cancel = new CancellationTokenSource();
        var before = counter.Written;
        counter.OnToken = n => { if (n - before == 3) cancel.Cancel(); };
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("Tell me everything.", new ChatOptions { MaxOutputTokens = 200 }, cancel.Token))
                received++;
        });

        Assert.Equal(3, counter.Written - before);                 // not one token after the cancel
        Assert.True(received <= 3);
        Assert.Equal(1, ModelGate.For(assistant.Model.Model).CurrentCount);   // and the model is free again
    }

    [Fact]
    public async Task AbandoningAStreamStopsGenerationToo()
    {
        var counter = new CountingTokenizer(ChatTemplate.Course.Tokenizer);
        var assistant = TinyChat.Random(TinyChat.SeedThatKeepsWriting(), context: 256, tokenizer: counter);
        var client = new CourseChatClient(assistant, "random");

        var atBreak = 0;
        await foreach (var update in client.GetStreamingResponseAsync("Tell me everything.", new ChatOptions { MaxOutputTokens = 200 }))
        {
            if (update.Text.Length == 0) continue;
            atBreak = counter.Written;
            await Task.Delay(500);   // a reader busy with something else: the worker waits, at most 16 events ahead
            break;                   // then walks away
        }

        Assert.InRange(counter.Written, atBreak, atBreak + 16 + 1);
        Assert.Equal(1, ModelGate.For(assistant.Model.Model).CurrentCount);
    }

    [Fact]
    public async Task ConcurrentRequestsToOneModelEachGetTheirOwnAnswer()
    {
        var client = Client();
        string[] questions = [TinyChat.ColourQuestion, TinyChat.HelloQuestion, TinyChat.SumQuestion, TinyChat.ColourQuestion, TinyChat.HelloQuestion];
        string[] answers = [TinyChat.ColourAnswer, TinyChat.HelloAnswer, TinyChat.SumAnswer, TinyChat.ColourAnswer, TinyChat.HelloAnswer];

        var replies = await Task.WhenAll(questions.Select(q => Task.Run(() => client.GetResponseAsync(q))));

        Assert.Equal(answers, replies.Select(r => r.Text));
    }

    [Fact]
    public void GetServiceDescribesTheModel()
    {
        var client = Client();

        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("tiny", metadata!.DefaultModelId);
        Assert.Equal("llmcourse", metadata.ProviderName);
        Assert.Same(client.Assistant, client.GetService<ChatAssistant>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("some key"));
        Assert.Null(client.GetService<string>());
    }
}
