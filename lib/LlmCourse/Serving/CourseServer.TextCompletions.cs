using System.Text.Json;
using LlmCourse.Chat;
using LlmCourse.Generation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using static LlmCourse.Serving.JsonFields;

namespace LlmCourse.Serving;

// POST /v1/completions: OpenAI's plain ("legacy") completions, for the base model, which continues text rather than
// answering turns. The same sampling options as chat; "logprobs" is a number here (0 to 5 alternatives), as in OpenAI's.
public sealed partial class CourseServer
{
    /// <summary>OpenAI's plain completions allow at most 5 alternatives per token.</summary>
    const int MaxTextLogprobs = 5;

    async Task TextCompletions(HttpContext context)
    {
        RequireJson(context);
        var request = TextRequest.Parse(await ReadBody(context).ConfigureAwait(false));
        if (!completers.TryGetValue(request.Model, out var completer))
        {
            if (clients.ContainsKey(request.Model))
                throw new ChatRequestException(
                    $"'{request.Model}' is a chat model: it answers conversations at POST /v1/chat/completions. " +
                    $"Plain completions are for base models ({(completers.Count > 0 ? string.Join(", ", completers.Keys) : "none served")}).",
                    "model", "model_not_found", 404);
            throw UnknownModel(request.Model);
        }
        using var admitted = Admit(context, completer.ModelId);
        Note(context, $"model {completer.ModelId}, plain completion" + (request.Stream ? ", streamed" : ""));
        var settings = OptionsMapping.ToCourse(request.Options, completer.ContextLength);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
        var id = "cmpl-" + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var tokenizer = completer.Model.Tokenizer;
        var withLogprobs = settings.Reply.Alternatives is not null;

        await using var events = completer.StreamAsync(request.Prompt, settings, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var more = await events.MoveNextAsync().ConfigureAwait(false);   // the request's faults show here, as ordinary errors
        var text = new System.Text.StringBuilder();
        var tokens = new List<GeneratedToken>();
        ReplyFinished? finished = null;

        if (!request.Stream)
        {
            for (; more; more = await events.MoveNextAsync().ConfigureAwait(false))
            {
                if (events.Current is TextPiece piece) { text.Append(piece.Text); tokens.AddRange(piece.Tokens); }
                else if (events.Current is ReplyFinished f) finished = f;
            }
            NoteUsage(context, completer.ModelId, finished?.PromptTokens ?? 0, finished?.CompletionTokens ?? 0, streamed: false);
            var logprobs = withLogprobs ? Logprobs.Text(tokens, tokenizer, 0) : null;
            await Write(context, 200, new TextCompletion(id, created, completer.ModelId,
                [new TextChoice(text.ToString(), 0, logprobs, Finish(finished))], Usage(finished))).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        var stream = new ChunkWriter(context, id, completer.ModelId);
        TextCompletion Chunk(string piece, TextLogprobs? logprobs, string? finish) =>
            new(id, created, completer.ModelId, [new TextChoice(piece, 0, logprobs, finish)]);
        try
        {
            for (; more; more = await events.MoveNextAsync().ConfigureAwait(false))
            {
                if (events.Current is ReplyFinished f) { finished = f; continue; }
                if (events.Current is not TextPiece piece) continue;
                tokens.AddRange(piece.Tokens);
                if (piece.Text.Length == 0) continue;   // half a character: its token goes out with the rest of it
                var logprobs = withLogprobs ? Logprobs.Text(tokens, tokenizer, text.Length) : null;
                tokens.Clear();
                text.Append(piece.Text);
                await stream.SendJson(Chunk(piece.Text, logprobs, null)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log?.Invoke($"  error while streaming: {e.GetType().Name}: {e.Message}");
            await stream.SendError(ErrorBody.From("The server failed while writing the reply.", 500)).ConfigureAwait(false);
            return;
        }
        await stream.SendJson(Chunk("", withLogprobs && tokens.Count > 0 ? Logprobs.Text(tokens, tokenizer, text.Length) : null, Finish(finished)))
            .ConfigureAwait(false);
        NoteUsage(context, completer.ModelId, finished?.PromptTokens ?? 0, finished?.CompletionTokens ?? 0, streamed: true);
        if (request.IncludeUsage) await stream.SendJson(new TextCompletion(id, created, completer.ModelId, [], Usage(finished))).ConfigureAwait(false);
        await stream.Done().ConfigureAwait(false);
    }

    static string Finish(ReplyFinished? finished) =>
        finished?.End is null or ReplyEnd.EndOfTurn or ReplyEnd.StopSequence ? "stop" : "length";

    static CompletionUsage Usage(ReplyFinished? f) =>
        new(f?.PromptTokens ?? 0, f?.CompletionTokens ?? 0, (f?.PromptTokens ?? 0) + (f?.CompletionTokens ?? 0));

    /// <summary>A <c>POST /v1/completions</c> body: the model, one prompt, and the options chat completions also take.</summary>
    sealed record TextRequest(string Model, string Prompt, ChatOptions Options, bool Stream, bool IncludeUsage)
    {
        public static TextRequest Parse(ReadOnlyMemory<byte> body)
        {
            using var document = ParseBody(body);
            var root = document.RootElement;
            var model = String(root, "model") ?? throw new ChatRequestException(
                "The request names no model: set \"model\" (GET /v1/models lists them).", "model", "missing_required_parameter");
            var prompt = ReadPrompt(root);
            var options = OpenAiRequest.SamplingOptions(root, model);
            if (Integer(root, "logprobs") is { } top)
            {
                if (top is < 0 or > MaxTextLogprobs)
                    throw new ChatRequestException($"logprobs must be from 0 to {MaxTextLogprobs} (alternatives per token); got {top}.",
                        "logprobs", "invalid_value");
                options.AdditionalProperties = new() { [OptionsMapping.TopLogprobs] = (int)top };
            }
            if (Bool(root, "echo") == true)
                throw new ChatRequestException("echo is not supported: the reply holds only the continuation.", "echo", "unsupported_parameter");
            if (String(root, "suffix") is not null)
                throw new ChatRequestException("suffix is not supported: a course base model continues text; it cannot fill in a middle.",
                    "suffix", "unsupported_parameter");
            if (Integer(root, "best_of") is { } best && best != 1)
                throw new ChatRequestException($"best_of must be 1: the server writes one completion per request; got {best}.",
                    "best_of", "unsupported_value");
            var (stream, includeUsage) = OpenAiRequest.Streaming(root);
            return new TextRequest(model, prompt, options, stream, includeUsage);
        }

        /// <summary>One prompt: a string, or an array holding one string (OpenAI's batch of prompts, of one).</summary>
        static string ReadPrompt(JsonElement root)
        {
            if (Field(root, "prompt") is not { } prompt)
                throw new ChatRequestException("The request has no \"prompt\": give the text the model should continue.",
                    "prompt", "missing_required_parameter");
            if (prompt.ValueKind == JsonValueKind.String) return Text(prompt, "prompt");
            if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
                return Text(prompt[0], "prompt[0]");
            throw new ChatRequestException(
                $"prompt must be a string (or an array of one string: one completion per request); got {Kind(prompt)}.", "prompt", "invalid_type");
        }
    }
}
