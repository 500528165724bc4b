using System.ClientModel;
using System.Collections.Concurrent;
using LlmCourse.Chat;
using LlmCourse.Serving;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmCourse.Tests.Serving;

/// <summary>
/// One server for a test class, on a free port of 127.0.0.1, serving the tiny models: "tiny" (trained, with the
/// calculator) and "random" (random weights, a 256-token context, and a tokenizer that counts what it writes).
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>Small, so the too-large test need not send a megabyte.</summary>
    public const long MaxRequestBytes = 16 * 1024;

    public CountingTokenizer RandomCounter { get; } = new(ChatTemplate.Course.Tokenizer);
    public ChatAssistant Random { get; private set; } = null!;
    public CourseServer Server { get; private set; } = null!;
    public ConcurrentQueue<string> Log { get; } = new();
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Seed 3 writes on greedily to any token limit (many seeds end their turn at once), so a stopped reply shows.
        Random = TinyChat.Random(seed: 3, context: 256, tokenizer: RandomCounter);
        // And it writes at most 200 tokens a second, so a test can hang up on it long before it is done.
        RandomCounter.OnToken = _ => Thread.Sleep(5);
        var models = new Dictionary<string, ChatAssistant> { ["tiny"] = TinyChat.Trained(), ["random"] = Random };
        Server = await CourseServer.StartAsync(models, port: 0, host: "127.0.0.1", maxRequestBytes: MaxRequestBytes, log: Log.Enqueue);
        Http = new HttpClient { BaseAddress = Server.Url, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The way an application talks to it: the official OpenAI client, as an IChatClient.</summary>
    public IChatClient Chat(string model) => OpenAi().GetChatClient(model).AsIChatClient();

    public OpenAIClient OpenAi() => new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = Server.BaseUrl, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
