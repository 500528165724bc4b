using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LlmCourse.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmCourse.Serving;

/// <summary>
/// <c>llmcourse serve</c>: the course's chat models behind OpenAI's chat-completions protocol, so any OpenAI-compatible
/// tool or client library can talk to them. An ASP.NET Core minimal API with three routes:
/// <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c> and <c>POST /v1/chat/completions</c> (plain, or streamed as
/// server-sent events ending with <c>data: [DONE]</c>). Each request goes to a <see cref="CourseChatClient"/>, the
/// same one an application uses in process, so both refuse the same things with the same words.
/// </summary>
/// <remarks>
/// Every failure is answered with OpenAI's error JSON and a 4xx status (5xx only for the server's own faults), never
/// a stack trace. Requests to one model take turns (<see cref="ModelGate"/>). It listens on 127.0.0.1 by default:
/// only this machine can reach it. One log line per request (method, path, status, time, model, token counts; never
/// what was said).
/// </remarks>
/// <example>
/// <code>
/// await using var server = await CourseServer.StartAsync(CourseServer.ShippedModels(), port: 8000);
/// // curl http://127.0.0.1:8000/v1/chat/completions -H "Content-Type: application/json" \
/// //   -d '{"model": "assistant", "messages": [{"role": "user", "content": "What is the capital of France?"}]}'
/// </code>
/// </example>
public sealed class CourseServer : IAsyncDisposable, IDisposable
{
    /// <summary>The largest request body accepted (1 MiB: hundreds of times what a course model's context holds).</summary>
    public const long DefaultMaxRequestBytes = 1 << 20;

    const string LogNote = "llmcourse.log";
    readonly WebApplication app;
    readonly Dictionary<string, CourseChatClient> clients;
    readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    readonly long maxRequestBytes;
    readonly Action<string>? log;

    CourseServer(WebApplication app, Dictionary<string, CourseChatClient> clients, long maxRequestBytes, Action<string>? log)
    {
        this.app = app;
        this.clients = clients;
        this.maxRequestBytes = maxRequestBytes;
        this.log = log;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:8000/ (the real port when started with port 0).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The base URL an OpenAI client takes: <see cref="Url"/> + "v1/".</summary>
    public Uri BaseUrl => new(Url, "v1/");

    /// <summary>The model names it serves.</summary>
    public IReadOnlyList<string> Models => [.. clients.Keys];

    /// <summary>
    /// Starts serving <paramref name="models"/> (name → model; the name is what requests put in "model") and returns
    /// once it listens.
    /// </summary>
    /// <param name="port">0 picks a free port (see <see cref="Url"/>).</param>
    /// <param name="host">"127.0.0.1" or "localhost" (this machine only), or an address such as "0.0.0.0" (every network interface).</param>
    /// <param name="maxRequestBytes">Bodies larger than this are refused with 413.</param>
    /// <param name="log">Gets one line per request; null logs nothing (a notebook's server should not print into cells).</param>
    public static async Task<CourseServer> StartAsync(IReadOnlyDictionary<string, ChatAssistant> models, int port = 0, string host = "127.0.0.1",
        long maxRequestBytes = DefaultMaxRequestBytes, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("The server needs at least one model to serve.", nameof(models));
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is a number from 1 to 65535 (or 0 for any free port).");
        if (maxRequestBytes < 1024) throw new ArgumentOutOfRangeException(nameof(maxRequestBytes), maxRequestBytes, "Allow requests of at least 1 KiB.");
        var address = Address(host, port);
        var clients = new Dictionary<string, CourseChatClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, assistant) in models) clients.Add(name, new CourseChatClient(assistant, name));

        // The empty builder: no configuration files or environment variables (ASPNETCORE_URLS and the like cannot
        // move it), no logging providers (our own line per request instead of ASP.NET's several), no file watchers;
        // just Kestrel and routing, which is all this server is.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "llmcourse-serve", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        // The caller decides when to stop (Ctrl+C in the CLI, Dispose in a notebook); the host must not take over
        // the process's Ctrl+C and SIGTERM handling, which in a notebook kernel belongs to the kernel.
        builder.Services.AddSingleton<IHostLifetime, CallerLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBytes;
            if (address is null) kestrel.ListenLocalhost(port);
            else kestrel.Listen(address, port);
        });

        var app = builder.Build();
        var server = new CourseServer(app, clients, maxRequestBytes, log);
        app.Use(server.LogAndAnswerErrors);
        app.MapGet("/", server.Banner);
        app.MapGet("/v1/models", server.ListModels);
        app.MapGet("/v1/models/{id}", server.GetModel);
        app.MapPost("/v1/chat/completions", server.Completions);

        try { await app.StartAsync(cancellationToken).ConfigureAwait(false); }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Cannot listen on {host}:{port}: {e.Message} Is another server using that port? Pick another one (--port).", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(bound.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>"localhost" (null: Kestrel's both loopbacks) or an IP address; anything else is a clear error.</summary>
    static IPAddress? Address(string host, int port)
    {
        // Kestrel picks a free port only on one address, not on both loopbacks at once.
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return port == 0 ? IPAddress.Loopback : null;
        return IPAddress.TryParse(host, out var ip) ? ip
            : throw new ArgumentException($"The host must be 'localhost' or an IP address, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface); got '{host}'.", nameof(host));
    }

    /// <summary>
    /// The shipped chat models that are built (or just <paramref name="only"/>), loaded and ready to serve. Missing
    /// files and unknown names get the error that says what to run.
    /// </summary>
    public static IReadOnlyDictionary<string, ChatAssistant> ShippedModels(string? only = null)
    {
        var chosen = only is not null ? [CourseModels.Find(only)] : CourseModels.All.Where(m => m.IsChat && m.Exists).ToList();
        if (chosen.Count == 0)
        {
            var assistant = CourseModels.All.First(m => m.IsChat);
            throw new FileNotFoundException($"No chat model is built yet: `{assistant.Rebuild}` builds the {assistant.Name} ({assistant.Path}).", assistant.Path);
        }
        return chosen.ToDictionary(m => m.Name, m => CourseModels.LoadChat(m.Name), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Stops listening, cancels replies still being written, and waits (a few seconds at most) for them to end.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public override string ToString() => $"llmcourse serve at {BaseUrl} ({string.Join(", ", Models)})";

    // ---- the routes ----

    Task Banner(HttpContext context) => context.Response.WriteAsync(
        $"llmcourse serve: the course's chat models behind OpenAI's chat-completions API.\n" +
        $"Base URL: {BaseUrl}\nModels: {string.Join(", ", Models)}\n" +
        $"Try: curl {BaseUrl}chat/completions -H \"Content-Type: application/json\" -d '{{\"model\": \"{Models[0]}\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello!\"}}]}}'\n");

    Task ListModels(HttpContext context) =>
        Write(context, 200, new ModelList([.. clients.Values.Select(Entry)]));

    Task GetModel(HttpContext context, string id) => clients.TryGetValue(id, out var client)
        ? Write(context, 200, Entry(client))
        : throw UnknownModel(id);

    ModelEntry Entry(CourseChatClient client) => new(client.ModelId, started.ToUnixTimeSeconds(), client.ContextLength);

    ChatRequestException UnknownModel(string name) =>
        new($"The model '{name}' does not exist on this server. It serves: {string.Join(", ", clients.Keys)}.", "model", "model_not_found", 404);

    async Task Completions(HttpContext context)
    {
        var request = OpenAiRequest.Parse(await ReadBody(context).ConfigureAwait(false));
        if (!clients.TryGetValue(request.Model, out var client)) throw UnknownModel(request.Model);
        Note(context, $"model {client.ModelId}" + (request.Stream ? ", streamed" : ""));
        // A reply stops when its client goes away or the server stops, whichever comes first.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);

        if (!request.Stream)
        {
            var response = await client.GetResponseAsync(request.Messages, request.Options, cancel.Token).ConfigureAwait(false);
            NoteUsage(context, client, response.Usage, streamed: false);
            await Write(context, 200, ChatCompletion.From(response, client.ModelId)).ConfigureAwait(false);
            return;
        }

        await using var updates = client.GetStreamingResponseAsync(request.Messages, request.Options, cancel.Token).GetAsyncEnumerator(cancel.Token);
        // Everything that can be wrong with the request shows before the first token: answer it as an ordinary error.
        var more = await updates.MoveNextAsync().ConfigureAwait(false);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        var stream = new ChunkWriter(context, more ? updates.Current.ResponseId ?? "" : "", client.ModelId);
        await stream.Send(new ChunkDelta(Role: "assistant", Content: "")).ConfigureAwait(false);
        UsageDetails? usage = null;
        string? pendingCall = null;
        try
        {
            for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
            {
                var update = updates.Current;
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text:
                            await stream.Send(new ChunkDelta(Content: text.Text)).ConfigureAwait(false);
                            break;
                        case FunctionCallContent call:
                            pendingCall = call.RawRepresentation is ToolCalled c ? c.Call : call.Name;
                            break;
                        case FunctionResultContent result:
                            await stream.Send(new ChunkDelta(BuiltinToolCalls: [new BuiltinToolCall(pendingCall ?? "", result.Result?.ToString() ?? "")])).ConfigureAwait(false);
                            break;
                        case UsageContent u:
                            usage = u.Details;
                            break;
                    }
                }
                if (update.FinishReason is { } reason)
                    await stream.Send(new ChunkDelta(), ChatCompletion.FinishReason(reason)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Tell the client why its reply ends here, rather than leave it with a stream cut short.
            await stream.SendError(ErrorBody.From("The server is stopping; the reply was cut short.", 503)).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The status line has gone out; the error can only be told in the stream itself.
            log?.Invoke($"  error while streaming: {e.GetType().Name}: {e.Message}");
            await stream.SendError(ErrorBody.From("The server failed while writing the reply.", 500)).ConfigureAwait(false);
            return;
        }
        NoteUsage(context, client, usage, streamed: true);
        if (request.IncludeUsage) await stream.SendUsage(CompletionUsage.From(usage)).ConfigureAwait(false);
        await stream.Done().ConfigureAwait(false);
    }

    /// <summary>The body, up to <see cref="maxRequestBytes"/>; a larger one is refused with 413 before it is read.</summary>
    async Task<ReadOnlyMemory<byte>> ReadBody(HttpContext context)
    {
        var tooLarge = new ChatRequestException(
            $"The request body is larger than this server accepts ({maxRequestBytes:N0} bytes).", null, "request_too_large", StatusCodes.Status413PayloadTooLarge);
        if (context.Request.ContentLength > maxRequestBytes) throw tooLarge;
        using var body = new MemoryStream();
        try { await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false); }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { throw tooLarge; }
        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    // ---- errors and the log ----

    /// <summary>
    /// Around every request: turns each failure into OpenAI's error JSON (the requester's faults with their 4xx
    /// status and message; the server's own as a 500 without details), answers routes and methods that do not
    /// exist the same way, and writes the request's one log line.
    /// </summary>
    async Task LogAndAnswerErrors(HttpContext context, RequestDelegate next)
    {
        var clock = Stopwatch.StartNew();
        string? problem = null;
        try
        {
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405 && context.Response.ContentLength is null)
            {
                var message = context.Response.StatusCode == 404
                    ? $"There is nothing at {context.Request.Path}. This server answers GET /v1/models and POST /v1/chat/completions."
                    : $"{context.Request.Path} does not answer {context.Request.Method}.";
                problem = context.Response.StatusCode == 404 ? "no such route" : "wrong method";
                await Write(context, context.Response.StatusCode, ErrorBody.From(message, context.Response.StatusCode)).ConfigureAwait(false);
            }
        }
        catch (ChatRequestException e) when (!context.Response.HasStarted)
        {
            problem = (e.Code ?? "invalid request") + (e.Param is null ? "" : $" at {e.Param}");
            await Write(context, e.Status, ErrorBody.From(e.Message, e.Status, e.Param, e.Code)).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            problem = "bad HTTP request";
            await Write(context, e.StatusCode, ErrorBody.From(e.Message, e.StatusCode)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            problem = context.RequestAborted.IsCancellationRequested ? "client went away" : "server stopping";
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            problem = $"{e.GetType().Name}: {e.Message}";
            await Write(context, 500, ErrorBody.From("The server failed while answering; its log says why.", 500)).ConfigureAwait(false);
        }
        finally
        {
            var note = context.Items.TryGetValue(LogNote, out var n) ? $" ({n})" : "";
            log?.Invoke($"{DateTime.Now:HH:mm:ss} {context.Request.Method} {context.Request.Path} -> {context.Response.StatusCode} in {clock.ElapsedMilliseconds} ms{note}" +
                        (problem is null ? "" : $": {problem}"));
        }
    }

    static void Note(HttpContext context, string note) => context.Items[LogNote] = note;

    static void NoteUsage(HttpContext context, CourseChatClient client, UsageDetails? usage, bool streamed) =>
        Note(context, $"model {client.ModelId}{(streamed ? ", streamed" : "")}, {usage?.InputTokenCount ?? 0} prompt + {usage?.OutputTokenCount ?? 0} completion tokens");

    static async Task Write<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Wire.Json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes one streamed reply as server-sent events: <c>data: {chunk}</c>, a blank line, flushed at once.</summary>
    sealed class ChunkWriter(HttpContext context, string id, string model)
    {
        readonly long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        public Task Send(ChunkDelta delta, string? finishReason = null) =>
            Event(JsonSerializer.Serialize(new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, delta, finishReason)]), Wire.Json));

        /// <summary>OpenAI's usage chunk: no choices, just the counts.</summary>
        public Task SendUsage(CompletionUsage usage) =>
            Event(JsonSerializer.Serialize(new ChatCompletionChunk(id, created, model, [], usage), Wire.Json));

        public Task SendError(ErrorBody error) => Event(JsonSerializer.Serialize(error, Wire.Json));

        public Task Done() => Event("[DONE]");

        async Task Event(string data)
        {
            await context.Response.WriteAsync("data: " + data + "\n\n", context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>A host lifetime that leaves Ctrl+C and SIGTERM alone: whoever started the server stops it.</summary>
    sealed class CallerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
