using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmCourse.Serving;

/// <summary>
/// A chat model reached over OpenAI's protocol, as an <see cref="IChatClient"/>: a real endpoint when the environment
/// names one, otherwise the course's own model behind <c>llmcourse serve</c>, started in this process. The same cells
/// then run against either, and say which one they talk to.
/// </summary>
/// <remarks>
/// <para>Environment variables (all optional):</para>
/// <list type="table">
/// <item><term><c>LLMCOURSE_BASE_URL</c></term><description>an OpenAI-compatible base URL: LM Studio
/// <c>http://localhost:1234/v1</c>, Ollama <c>http://localhost:11434/v1</c>, a provider's, or OpenAI's
/// <c>https://api.openai.com/v1</c> (the default when only a key is set).</description></item>
/// <item><term><c>LLMCOURSE_API_KEY</c></term><description>the key, if the endpoint wants one. It is sent to the
/// endpoint and never shown: not in <see cref="Description"/>, not in any error.</description></item>
/// <item><term><c>LLMCOURSE_MODEL</c></term><description>the model's name at that endpoint (required with a URL or
/// key); alone, it picks which course model to serve ("assistant" by default).</description></item>
/// </list>
/// Disposing the endpoint stops the in-process server, if it started one.
/// </remarks>
/// <example>
/// <code>
/// await using var endpoint = ChatEndpoint.FromEnvironment();
/// endpoint.Description      // "the course's 'assistant', served in this process by llmcourse serve (OpenAI's API on 127.0.0.1; see BaseUrl)"
/// var answer = await endpoint.Client.GetResponseAsync("What is the capital of France?");
/// </code>
/// </example>
public sealed class ChatEndpoint : IAsyncDisposable, IDisposable
{
    public const string BaseUrlVariable = "LLMCOURSE_BASE_URL";
    public const string ApiKeyVariable = "LLMCOURSE_API_KEY";
    public const string ModelVariable = "LLMCOURSE_MODEL";

    /// <summary>OpenAI's own API, used when only a key is configured.</summary>
    public static readonly Uri OpenAiBaseUrl = new("https://api.openai.com/v1/");

    readonly CourseServer? server;

    ChatEndpoint(IChatClient client, Uri baseUrl, string model, string description, CourseServer? server)
    {
        Client = client;
        BaseUrl = baseUrl;
        Model = model;
        Description = description;
        this.server = server;
    }

    /// <summary>The model, through the official OpenAI .NET client.</summary>
    public IChatClient Client { get; }

    /// <summary>The endpoint's base URL (shown without any user name, password or query a URL might carry).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The model's name at the endpoint.</summary>
    public string Model { get; }

    /// <summary>True when it is the course's own model, served in this process.</summary>
    public bool IsCourseModel => server is not null;

    /// <summary>Which model this is and where, in one line, without the key.</summary>
    public string Description { get; }

    /// <summary>
    /// The endpoint the environment configures, or — when it configures none — the course model
    /// <paramref name="courseModel"/> (or <c>LLMCOURSE_MODEL</c>) served in this process on a free localhost port.
    /// </summary>
    public static ChatEndpoint FromEnvironment(string courseModel = "assistant")
    {
        var url = Variable(BaseUrlVariable);
        var key = Variable(ApiKeyVariable);
        var model = Variable(ModelVariable);
        if (url is null && key is null) return StartCourseModel(model ?? courseModel);

        Uri baseUrl;
        if (url is null) baseUrl = OpenAiBaseUrl;
        else if (!Uri.TryCreate(url, UriKind.Absolute, out baseUrl!) || baseUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{BaseUrlVariable} must be an http:// or https:// URL such as http://localhost:1234/v1; got '{Shown(url)}'.");
        if (model is null)
            throw new ArgumentException(
                $"{BaseUrlVariable} or {ApiKeyVariable} is set, but {ModelVariable} is not: set it to the model's name at {Shown(baseUrl)} " +
                "(LM Studio and Ollama list their models; e.g. gpt-4o-mini at OpenAI). Or unset both to use the course's model.");
        return Connect(baseUrl, model, key, source: "configured by " + (url is null ? ApiKeyVariable : BaseUrlVariable));
    }

    /// <summary>Any OpenAI-compatible endpoint: a base URL (ending in /v1 for most servers), a model name, and a key if it wants one.</summary>
    public static ChatEndpoint Connect(Uri baseUrl, string model, string? apiKey = null) => Connect(baseUrl, model, apiKey, source: null);

    static ChatEndpoint Connect(Uri baseUrl, string model, string? apiKey, string? source)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var client = OpenAiClient(baseUrl, model, apiKey);
        var description = $"'{model}' at {Shown(baseUrl)}" + (source is null ? "" : $", {source}") + (apiKey is null ? "" : " (with an API key, not shown)");
        return new ChatEndpoint(client, new Uri(Shown(baseUrl)), model, description, server: null);
    }

    /// <summary>
    /// The course model <paramref name="name"/> behind <c>llmcourse serve</c>, started in this process on a free port of
    /// 127.0.0.1 and reached over HTTP with the OpenAI client, exactly as an application elsewhere would reach it.
    /// </summary>
    public static ChatEndpoint StartCourseModel(string name = "assistant") =>
        Serve(CourseServer.ShippedModels(name), name).GetAwaiter().GetResult();

    /// <summary>The same with any models (name → model): what the tests use, with tiny models.</summary>
    public static async Task<ChatEndpoint> Serve(IReadOnlyDictionary<string, Chat.ChatAssistant> models, string name)
    {
        var server = await CourseServer.StartAsync(models).ConfigureAwait(false);
        if (!server.Models.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new ArgumentException($"The server has no model '{name}'; it has {string.Join(", ", server.Models)}.", nameof(name));
        }
        // No port in the description: it is a free one, different each run, and a notebook's committed output should not churn.
        var description = $"the course's '{name}', served in this process by llmcourse serve (OpenAI's API on 127.0.0.1; see BaseUrl)";
        return new ChatEndpoint(OpenAiClient(server.BaseUrl, name, apiKey: null), server.BaseUrl, name, description, server);
    }

    static IChatClient OpenAiClient(Uri baseUrl, string model, string? apiKey) =>
        // Local servers want no key, but the client insists on one; they ignore it.
        new OpenAIClient(new ApiKeyCredential(apiKey ?? "unused"), new OpenAIClientOptions { Endpoint = baseUrl })
            .GetChatClient(model).AsIChatClient();

    static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>A URL fit to print: a key hidden in it (user info, query) is left out.</summary>
    static string Shown(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    static string Shown(string text) => Uri.TryCreate(text, UriKind.Absolute, out var url) ? Shown(url) : "(not a URL)";

    public override string ToString() => Description;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
