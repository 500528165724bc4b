using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmCourse.Chat;
using LlmCourse.Generation;
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
/// tool or client library can talk to them. An ASP.NET Core minimal API:
/// <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c>, <c>POST /v1/chat/completions</c> (plain, or streamed as
/// server-sent events ending with <c>data: [DONE]</c>) and, for a base model, <c>POST /v1/completions</c>. Each chat
/// request goes to a <see cref="CourseChatClient"/>, the same one an application uses in process, so both refuse the
/// same things with the same words. At <c>/</c> the same process serves the course's chat page (<see cref="ChatPage"/>).
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
public sealed partial class CourseServer : IAsyncDisposable, IDisposable
{
    /// <summary>The largest request body accepted (1 MiB: hundreds of times what a course model's context holds).</summary>
    public const long DefaultMaxRequestBytes = 1 << 20;

    /// <summary>
    /// Requests that may wait for a model that is busy with a reply; one more is refused with 503 ("server busy") and a
    /// Retry-After, as an overloaded OpenAI endpoint answers, rather than left waiting minutes for its turn.
    /// </summary>
    public const int DefaultMaxWaiting = 16;

    const string LogNote = "llmcourse.log";
    readonly WebApplication app;
    readonly Dictionary<string, CourseChatClient> clients;
    readonly Dictionary<string, CourseCompletionClient> completers;
    readonly IReadOnlyList<CourseModel> unavailable;
    readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.OrdinalIgnoreCase);
    readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    readonly long maxRequestBytes;
    readonly int maxWaiting;
    readonly Action<string>? log;

    CourseServer(WebApplication app, Dictionary<string, CourseChatClient> clients, Dictionary<string, CourseCompletionClient> completers,
        IReadOnlyList<CourseModel> unavailable, long maxRequestBytes, int maxWaiting, Action<string>? log)
    {
        this.app = app;
        this.clients = clients;
        this.completers = completers;
        this.unavailable = unavailable;
        this.maxRequestBytes = maxRequestBytes;
        this.maxWaiting = maxWaiting;
        this.log = log;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:8000/ (the real port when started with port 0).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The base URL an OpenAI client takes: <see cref="Url"/> + "v1/".</summary>
    public Uri BaseUrl => new(Url, "v1/");

    /// <summary>The model names it serves: the chat models, then the base models.</summary>
    public IReadOnlyList<string> Models => [.. clients.Keys, .. completers.Keys];

    /// <summary>
    /// Starts serving <paramref name="models"/> (name → model; the name is what requests put in "model") and returns
    /// once it listens.
    /// </summary>
    /// <param name="port">0 picks a free port (see <see cref="Url"/>).</param>
    /// <param name="host">"127.0.0.1" or "localhost" (this machine only), or an address such as "0.0.0.0" (every network interface).</param>
    /// <param name="maxRequestBytes">Bodies larger than this are refused with 413.</param>
    /// <param name="log">Gets one line per request; null logs nothing (a notebook's server should not print into cells).</param>
    /// <param name="baseModels">Base models (name → model), served as plain completions (<c>/v1/completions</c>).</param>
    /// <param name="unavailable">
    /// Course models it does not serve, which the page lists and requests are told about: not built yet (with the command
    /// that builds them), or left out with --model.
    /// </param>
    /// <param name="maxWaiting">Requests that may wait for a busy model before more are refused with 503.</param>
    public static async Task<CourseServer> StartAsync(IReadOnlyDictionary<string, ChatAssistant> models, int port = 0, string host = "127.0.0.1",
        long maxRequestBytes = DefaultMaxRequestBytes, Action<string>? log = null, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, LanguageModel>? baseModels = null, IReadOnlyList<CourseModel>? unavailable = null,
        int maxWaiting = DefaultMaxWaiting)
    {
        ArgumentNullException.ThrowIfNull(models);
        baseModels ??= new Dictionary<string, LanguageModel>();
        if (models.Count + baseModels.Count == 0) throw new ArgumentException("The server needs at least one model to serve.", nameof(models));
        if (maxWaiting < 0) throw new ArgumentOutOfRangeException(nameof(maxWaiting), maxWaiting, "Allow 0 or more waiting requests.");
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is a number from 1 to 65535 (or 0 for any free port).");
        if (maxRequestBytes < 1024) throw new ArgumentOutOfRangeException(nameof(maxRequestBytes), maxRequestBytes, "Allow requests of at least 1 KiB.");
        var address = Address(host, port);
        var clients = new Dictionary<string, CourseChatClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, assistant) in models) clients.Add(name, new CourseChatClient(assistant, name));
        var completers = new Dictionary<string, CourseCompletionClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, model) in baseModels)
        {
            if (clients.ContainsKey(name)) throw new ArgumentException($"Two models are called '{name}'.", nameof(baseModels));
            completers.Add(name, new CourseCompletionClient(model, name));
        }
        var served = new HashSet<string>([.. clients.Keys, .. completers.Keys], StringComparer.OrdinalIgnoreCase);
        var missing = (unavailable ?? []).Where(m => !served.Contains(m.Name)).ToList();

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
        var server = new CourseServer(app, clients, completers, missing, maxRequestBytes, maxWaiting, log);
        app.Use(server.LogAndAnswerErrors);
        app.MapGet("/v1/models", server.ListModels);
        app.MapGet("/v1/models/{id}", server.GetModel);
        app.MapPost("/v1/chat/completions", server.Completions);
        app.MapPost("/v1/completions", server.TextCompletions);
        server.MapPage(app);

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

    /// <summary>The shipped base model, loaded, if it is built (and chosen: <paramref name="only"/> is null or names it).</summary>
    public static IReadOnlyDictionary<string, LanguageModel> ShippedBaseModels(string? only = null) =>
        CourseModels.All.Where(m => !m.IsChat && m.Exists && (only is null || string.Equals(only, m.Name, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(m => m.Name, _ => Training.BaseModel.LoadShipped(), StringComparer.OrdinalIgnoreCase);

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

    Task ListModels(HttpContext context) => Write(context, 200, new ModelList(
        [.. clients.Values.Select(c => Entry(c.ModelId, c.ContextLength)), .. completers.Values.Select(c => Entry(c.ModelId, c.ContextLength))]));

    Task GetModel(HttpContext context, string id) =>
        clients.TryGetValue(id, out var client) ? Write(context, 200, Entry(client.ModelId, client.ContextLength))
        : completers.TryGetValue(id, out var completer) ? Write(context, 200, Entry(completer.ModelId, completer.ContextLength))
        : throw UnknownModel(id);

    ModelEntry Entry(string id, int contextLength) => new(id, started.ToUnixTimeSeconds(), contextLength);

    /// <summary>A model this server does not serve: why (not built: the command that builds it), and what it serves instead.</summary>
    ChatRequestException UnknownModel(string name)
    {
        var serves = $"It serves: {string.Join(", ", Models)}.";
        var known = unavailable.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        var message = known is null ? $"The model '{name}' does not exist on this server. {serves}"
            : !known.Exists ? $"The model '{known.Name}' is not built yet: `{known.Rebuild}` builds it ({known.Description}). {serves}"
            : $"The model '{known.Name}' is built but this server was started without it (--model); restart `llmcourse serve` to serve it. {serves}";
        return new(message, "model", "model_not_found", 404);
    }

    /// <summary>
    /// Lets a request for <paramref name="model"/> in, or refuses it with 503 when the model is answering one request and
    /// <see cref="maxWaiting"/> more already wait their turn. Dispose the result when the request is done.
    /// </summary>
    IDisposable Admit(HttpContext context, string model)
    {
        if (inFlight.AddOrUpdate(model, 1, (_, n) => n + 1) > 1 + maxWaiting)
        {
            inFlight.AddOrUpdate(model, 0, (_, n) => n - 1);
            context.Response.Headers.RetryAfter = "2";
            throw new ChatRequestException(
                $"The server is busy: '{model}' is writing a reply and {maxWaiting} more are waiting for it. Try again in a moment.",
                null, "server_busy", StatusCodes.Status503ServiceUnavailable);
        }
        return new Leave(() => inFlight.AddOrUpdate(model, 0, (_, n) => n - 1));
    }

    sealed class Leave(Action leave) : IDisposable
    {
        int left;
        public void Dispose() { if (Interlocked.Exchange(ref left, 1) == 0) leave(); }
    }

    /// <summary>Bodies are JSON; a body declared as anything else (curl's form encoding, text/plain) is a 415, as OpenAI's API answers.</summary>
    static void RequireJson(HttpContext context)
    {
        var declared = context.Request.ContentType;
        if (string.IsNullOrWhiteSpace(declared)) return;   // undeclared: read as JSON, as most servers do
        var type = MediaTypeHeaderValue.TryParse(declared, out var parsed) ? parsed.MediaType ?? "" : declared;
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)) return;
        throw new ChatRequestException(
            $"The body is declared as '{declared}'; this server reads JSON. Send it with the header Content-Type: application/json.",
            null, "unsupported_media_type", StatusCodes.Status415UnsupportedMediaType);
    }

    async Task Completions(HttpContext context)
    {
        RequireJson(context);
        var request = OpenAiRequest.Parse(await ReadBody(context).ConfigureAwait(false));
        if (!clients.TryGetValue(request.Model, out var client))
        {
            if (completers.ContainsKey(request.Model))
                throw new ChatRequestException(
                    $"'{request.Model}' is a base model, not a chat model: it has no chat template and continues text instead. " +
                    "Send it a prompt at POST /v1/completions.", "model", "model_not_found", 404);
            throw UnknownModel(request.Model);
        }
        using var admitted = Admit(context, client.ModelId);
        Note(context, $"model {client.ModelId}" + (request.Stream ? ", streamed" : ""));
        // A reply stops when its client goes away or the server stops, whichever comes first.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
        var tokenizer = client.Assistant.Model.Tokenizer;
        var withLogprobs = request.Options.AdditionalProperties?.ContainsKey(OptionsMapping.TopLogprobs) == true;

        if (!request.Stream)
        {
            // Read as a stream even here: the updates' text pieces carry the tokens behind them, for the logprobs.
            var all = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(request.Messages, request.Options, cancel.Token).ConfigureAwait(false))
                all.Add(update);
            var response = ReplyUpdates.ToResponse(all);
            NoteUsage(context, client, response.Usage, streamed: false);
            var logprobs = withLogprobs
                ? new ChoiceLogprobs([.. all.SelectMany(u => u.Contents).SelectMany(c => Tokens(c)).Select(t => Logprobs.Entry(t, tokenizer)!)])
                : null;
            await Write(context, 200, ChatCompletion.From(response, client.ModelId, logprobs)).ConfigureAwait(false);
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
        // Tokens whose text is not out yet (half a character): their logprobs go out with the text that completes them.
        var pendingTokens = new List<TokenLogprob>();
        try
        {
            for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
            {
                var update = updates.Current;
                foreach (var content in update.Contents)
                {
                    if (withLogprobs) pendingTokens.AddRange(Tokens(content).Select(t => Logprobs.Entry(t, tokenizer)!));
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text:
                            var logprobs = withLogprobs ? new ChoiceLogprobs([.. pendingTokens]) : null;
                            pendingTokens.Clear();
                            await stream.Send(new ChunkDelta(Content: text.Text), logprobs: logprobs).ConfigureAwait(false);
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
                    await stream.Send(new ChunkDelta(), ChatCompletion.FinishReason(reason),
                        pendingTokens.Count > 0 ? new ChoiceLogprobs([.. pendingTokens]) : null).ConfigureAwait(false);
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

    /// <summary>The generated tokens behind a piece of the reply's text (none for anything else).</summary>
    static IReadOnlyList<GeneratedToken> Tokens(AIContent content) => content.RawRepresentation is TextPiece piece ? piece.Tokens : [];

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
        // The page's defence in depth: only this server's own script, style and requests; no inline script, no frames.
        // Model output is put into the page as text anyway; this stops anything that slipped through from running.
        context.Response.Headers.ContentSecurityPolicy = ChatPage.ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        try
        {
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405 && context.Response.ContentLength is null)
            {
                var message = context.Response.StatusCode == 404
                    ? $"There is nothing at {context.Request.Path}. This server answers GET /v1/models, POST /v1/chat/completions and POST /v1/completions."
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
        NoteUsage(context, client.ModelId, (int)(usage?.InputTokenCount ?? 0), (int)(usage?.OutputTokenCount ?? 0), streamed);

    static void NoteUsage(HttpContext context, string model, int prompt, int completion, bool streamed) =>
        Note(context, $"model {model}{(streamed ? ", streamed" : "")}, {prompt} prompt + {completion} completion tokens");

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

        public Task Send(ChunkDelta delta, string? finishReason = null, ChoiceLogprobs? logprobs = null) =>
            Event(JsonSerializer.Serialize(new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, delta, finishReason, logprobs)]), Wire.Json));

        /// <summary>Any body as one event (the plain completions' chunks).</summary>
        public Task SendJson<T>(T body) => Event(JsonSerializer.Serialize(body, Wire.Json));

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
