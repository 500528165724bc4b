using System.Text;
using LlmCourse.Generation;

namespace LlmCourse.Chat;

/// <summary>Something that happened while the assistant wrote its reply, in order.</summary>
public abstract record ReplyEvent;

/// <summary>A token of the assistant's text (its <see cref="Text"/> may be empty mid-character).</summary>
public sealed record TextPiece(string Text, int TokenId) : ReplyEvent
{
    /// <summary>
    /// The generated tokens this text came from, with their probabilities (and alternatives, when
    /// <see cref="ReplyOptions.Alternatives"/> asked for them): usually one; with stop sequences, text held back
    /// and released later brings along the tokens it was held with.
    /// </summary>
    public IReadOnlyList<GeneratedToken> Tokens { get; init; } = [];
}

/// <summary>The assistant called a tool: the call exactly as it wrote it, e.g. "calculator(13 - 4)".</summary>
public sealed record ToolCalled(string Call) : ReplyEvent;

/// <summary>The harness ran the call and wrote the result into the context window.</summary>
public sealed record ToolAnswered(string Call, string Result) : ReplyEvent;

/// <summary>
/// What the harness did, or could not do, that the user should know: a tool call the model never closed, a tool that
/// failed to answer, a result cut to fit the context, too many calls, a reply with nothing in it. One line for a person
/// to read; never part of the model's text, so the history does not record it.
/// </summary>
public sealed record HarnessNote(string Text) : ReplyEvent;

/// <summary>How a reply ended and what it cost in tokens.</summary>
/// <param name="PromptTokens">Tokens the model read before its reply (the rendered conversation).</param>
/// <param name="CompletionTokens">Tokens the model wrote (tool results written by the harness not included).</param>
public sealed record ReplyFinished(ReplyEnd End, int PromptTokens, int CompletionTokens) : ReplyEvent;

public enum ReplyEnd
{
    /// <summary>The model wrote &lt;|end|&gt;: it ended its turn.</summary>
    EndOfTurn,
    /// <summary>The reply reached the token limit before the model ended its turn.</summary>
    MaxTokens,
    /// <summary>The text reached one of the caller's stop sequences.</summary>
    StopSequence,
    /// <summary>The model's context window is full.</summary>
    ContextFull,
    /// <summary>The model asked for more tool calls than <see cref="ReplyOptions.MaxToolCalls"/>; the harness stopped it.</summary>
    ToolCallLimit,
}

/// <summary>How to write one reply.</summary>
/// <param name="MaxTokens">The most tokens the model may write.</param>
/// <param name="StopSequences">Text that ends the reply where it appears (not included).</param>
/// <param name="MaxToolCalls">The most tool calls one reply may make: a model that calls and calls again is stopped.</param>
/// <param name="Alternatives">
/// Null: nothing extra. 0 to 20: each <see cref="TextPiece"/>'s tokens carry the model's own probability and that many
/// likely alternatives (<see cref="GeneratedToken.Alternatives"/>), for a chat page or OpenAI's <c>logprobs</c>.
/// </param>
public sealed record ReplyOptions(Sampling? Sampling = null, int MaxTokens = 120, int Seed = 0, IReadOnlyList<string>? StopSequences = null,
    int MaxToolCalls = 6, int? Alternatives = null);

/// <summary>One reply of a batch: its text, its tokens (the end-of-turn token not included), and whether the model ended its turn.</summary>
public sealed record BatchReply(int Conversation, string Text, IReadOnlyList<int> Tokens, bool EndedTurn);

/// <summary>The conversation does not fit the model's context window.</summary>
public sealed class ContextWindowException(string message) : Exception(message);

/// <summary>
/// A chat model at work: given the conversation so far, it writes the assistant's next turn, one token at a
/// time, until it writes &lt;|end|&gt; (or a limit). When it writes a tool call, the harness — this class — stops
/// it, runs the tool, writes the result into the context window as tokens the model did not choose, and lets
/// the model continue. Stateless: the caller keeps the history (<see cref="ChatSession"/> does, for a
/// conversation; an OpenAI-style server gets it with every request).
/// </summary>
public sealed class ChatAssistant(LanguageModel model, ChatTemplate template, Func<string, string>? tools = null)
{
    public LanguageModel Model { get; } = model;
    public ChatTemplate Template { get; } = template;

    /// <summary>Runs a tool call ("calculator(13 - 4)") and returns the text the model reads back; null: the model has no tools.</summary>
    public Func<string, string>? Tools { get; } = tools;

    /// <summary>How long a tool may take before the harness answers the call with an error instead.</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Tokens kept free for the model's own words after a tool result, a tenth of its context (25 of 256): a longer
    /// result is cut to fit, so the model can still answer from it.
    /// </summary>
    public static int RoomAfterResult(int contextLength) => contextLength / 10;

    /// <summary>The same model with tools (part 5).</summary>
    public ChatAssistant WithTools(Func<string, string> tools) => new(Model, Template, tools) { ToolTimeout = ToolTimeout };

    /// <summary>Writes the assistant's reply to <paramref name="history"/> (which ends with the user's message), as events.</summary>
    public IEnumerable<ReplyEvent> Reply(IReadOnlyList<Message> history, ReplyOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new ReplyOptions();
        if (options.MaxTokens < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokens, "A reply needs room for at least one token.");
        var prompt = Template.Prompt(history).ToList();
        var context = Model.Model.Config.ContextLength;
        if (prompt.Count >= context)
            throw new ContextWindowException($"The conversation is {prompt.Count} tokens long; the model reads at most {context}, and needs room to reply.");
        return Events(prompt, options, cancellation);
    }

    IEnumerable<ReplyEvent> Events(List<int> prompt, ReplyOptions options, CancellationToken cancellation)
    {
        var context = Model.Model.Config.ContextLength;
        var promptTokens = prompt.Count;
        var written = 0;
        var calls = 0;
        var wroteText = false;
        var explained = false;   // a note already says why the reply may be empty
        var stops = new StopSequenceFilter(options.StopSequences ?? []);

        // Text on its way to the caller; notes whether the reply has said anything at all.
        IEnumerable<ReplyEvent> Text(IEnumerable<ReplyEvent> pieces)
        {
            foreach (var e in pieces)
            {
                if (e is TextPiece { Text: var t } && !string.IsNullOrWhiteSpace(t)) wroteText = true;
                yield return e;
            }
        }

        // The last events of every reply: what is held back, a note if the reply said nothing, how it ended.
        IEnumerable<ReplyEvent> Finish(ReplyEnd end)
        {
            foreach (var e in Text(stops.Flush())) yield return e;
            if (!wroteText && calls == 0 && !explained && end != ReplyEnd.StopSequence)
                yield return new HarnessNote("The model ended its reply without writing anything.");
            yield return new ReplyFinished(end, promptTokens, written);
        }

        for (var round = 0; ; round++)
        {
            var room = Math.Min(options.MaxTokens - written, context - prompt.Count);
            if (room <= 0)
            {
                foreach (var e in Finish(written >= options.MaxTokens ? ReplyEnd.MaxTokens : ReplyEnd.ContextFull)) yield return e;
                yield break;
            }
            List<int>? call = null;
            var wroteThisRound = 0;
            string? toolCall = null;
            foreach (var token in Model.Stream(prompt, room, options.Sampling ?? Sampling.Greedy, options.Seed + round, stopTokens: [Template.EndId],
                         alternatives: options.Alternatives))
            {
                cancellation.ThrowIfCancellationRequested();
                written++;
                wroteThisRound++;
                prompt.Add(token.Id);
                if (token.Id == Template.ToolCallId) { call = []; continue; }
                if (call is not null)
                {
                    if (token.Id != Template.ToolCallEndId) { call.Add(token.Id); continue; }
                    toolCall = Template.Tokenizer.Decode(call);
                    break;   // stop the model here: the harness takes over
                }
                if (token.Id >= Template.EndOfTextId)
                {
                    // A chat token out of place (e.g. <|user|>): the model has left its turn.
                    foreach (var e in Finish(ReplyEnd.EndOfTurn)) yield return e;
                    yield break;
                }
                foreach (var e in Text(stops.Add(token))) yield return e;
                if (stops.Stopped) { foreach (var e in Finish(ReplyEnd.StopSequence)) yield return e; yield break; }
            }
            var end = wroteThisRound < room ? ReplyEnd.EndOfTurn : written >= options.MaxTokens ? ReplyEnd.MaxTokens : ReplyEnd.ContextFull;
            if (call is not null && toolCall is null)
            {
                // The model opened a call and stopped (ended its turn, or ran out of room) before closing it: nothing
                // to run, and the user would otherwise see an empty reply.
                var how = end == ReplyEnd.EndOfTurn ? "ended its turn" : "ran out of room";
                explained = true;
                yield return new HarnessNote(
                    $"The model began a tool call and {how} before closing it: {Quote(Template.Tokenizer.Decode(call))}. Nothing was run.");
            }
            if (toolCall is null)
            {
                foreach (var e in Finish(end)) yield return e;
                yield break;
            }

            foreach (var e in Text(stops.Flush())) yield return e;
            if (calls == options.MaxToolCalls)
            {
                calls++;
                yield return new HarnessNote($"The model asked for tool call {calls} ({Quote(toolCall)}); a reply may make {options.MaxToolCalls}, so the harness stopped it.");
                foreach (var e in Finish(ReplyEnd.ToolCallLimit)) yield return e;
                yield break;
            }
            calls++;
            yield return new ToolCalled(toolCall);
            var (result, problem) = RunTool(toolCall);
            if (problem is not null) yield return new HarnessNote(problem);

            // The result goes into the context as tokens the model did not write (and is never trained on), cut if it
            // would leave the model too little room to answer.
            var tokens = Template.Tokenizer.Encode(result);
            var fits = context - prompt.Count - 2 - RoomAfterResult(context);
            if (tokens.Count > fits)
            {
                if (fits < 1)
                {
                    yield return new ToolAnswered(toolCall, "");
                    yield return new HarnessNote($"The tool's result ({tokens.Count} tokens) does not fit what is left of the {context}-token context.");
                    foreach (var e in Finish(ReplyEnd.ContextFull)) yield return e;
                    yield break;
                }
                yield return new HarnessNote($"The tool's result was cut from {tokens.Count} to {fits} tokens to fit the {context}-token context.");
                tokens = tokens.Take(fits).ToList();
                result = Template.Tokenizer.Decode(tokens);
            }
            yield return new ToolAnswered(toolCall, result);
            prompt.Add(Template.ToolResultId);
            prompt.AddRange(tokens);
            prompt.Add(Template.ToolResultEndId);
        }
    }

    /// <summary>
    /// Runs one call through <see cref="Tools"/>: its result, and what went wrong for the user to read, if anything. A tool
    /// that throws or takes longer than <see cref="ToolTimeout"/> gets an error result the model reads, instead of ending
    /// the reply. The call text is only ever handed to the tools, never run as code.
    /// </summary>
    (string Result, string? Problem) RunTool(string call)
    {
        if (Tools is null) return ("error: no tools are available", "This model has no tools; the call was not run.");
        var run = Task.Run(() => Tools(call));
        try
        {
            if (run.Wait(ToolTimeout)) return (run.Result, null);
            return ("error: the tool did not answer in time", $"The tool call {Quote(call)} did not answer within {ToolTimeout.TotalSeconds:0} s.");
        }
        catch (AggregateException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            return ($"error: the tool failed: {reason}", $"The tool call {Quote(call)} failed: {reason}");
        }
    }

    static string Quote(string text) => LlmCourse.Tools.ToolResult.Quote(text, maxLength: 60);

    /// <summary>
    /// Replies to many conversations, <paramref name="samples"/> each. Without tools they are written all at once by the
    /// batched generator — one pass of the model per step for all of them — which makes evaluations fast. A tool-using
    /// assistant answers them one after another, so that the harness can run its tools.
    /// </summary>
    public IReadOnlyList<BatchReply> ReplyAll(IReadOnlyList<IReadOnlyList<Message>> histories, Sampling? sampling = null, int maxTokens = 120,
        int samples = 1, long seed = 0)
    {
        if (Tools is not null)
            return histories.SelectMany((h, i) => Enumerable.Range(0, samples).Select(k =>
            {
                var events = Reply(h, new ReplyOptions(sampling, maxTokens, (int)seed + i * samples + k)).ToList();
                var pieces = events.OfType<TextPiece>().ToList();
                return new BatchReply(i, string.Concat(pieces.Select(p => p.Text)), pieces.Select(p => p.TokenId).ToList(),
                    events.OfType<ReplyFinished>().Single().End == ReplyEnd.EndOfTurn);
            })).ToList();
        var prompts = histories.Select(h => Template.Prompt(h)).ToList();
        var completions = new BatchGenerator(Model.Model).Generate(prompts, samples, maxTokens, sampling ?? Sampling.Greedy, [Template.EndId], seed);
        return completions.Select(c => new BatchReply(c.Prompt, Template.Tokenizer.Decode(c.Tokens), c.Tokens, c.StopToken == Template.EndId)).ToList();
    }

    /// <summary>
    /// Holds back text that might be the start of a stop sequence, so a stop sequence never reaches the caller
    /// even when it spans several tokens.
    /// </summary>
    internal sealed class StopSequenceFilter(IReadOnlyList<string> stops)
    {
        readonly List<TextPiece> held = [];
        readonly List<GeneratedToken> heldTokens = [];
        readonly StringBuilder heldText = new();
        public bool Stopped { get; private set; }

        public IEnumerable<ReplyEvent> Add(GeneratedToken token)
        {
            if (stops.Count == 0) { yield return new TextPiece(token.Text, token.Id) { Tokens = [token] }; yield break; }
            held.Add(new TextPiece(token.Text, token.Id));
            heldTokens.Add(token);
            heldText.Append(token.Text);
            var text = heldText.ToString();
            foreach (var stop in stops)
            {
                var at = text.IndexOf(stop, StringComparison.Ordinal);
                if (at < 0) continue;
                Stopped = true;
                if (at > 0) yield return new TextPiece(text[..at], held[0].TokenId) { Tokens = [.. heldTokens] };
                held.Clear();
                heldTokens.Clear();
                heldText.Clear();
                yield break;
            }
            // Release everything that cannot be the beginning of a stop sequence.
            var keep = stops.Max(s => LongestSuffixThatStarts(text, s));
            if (keep == 0 || keep < text.Length)
            {
                var release = text[..(text.Length - keep)];
                // The newest token stays with the text still held when part of it is kept.
                var released = heldTokens.Take(keep > 0 ? heldTokens.Count - 1 : heldTokens.Count).ToList();
                if (release.Length > 0) yield return new TextPiece(release, held[^1].TokenId) { Tokens = released };
                held.Clear();
                heldTokens.RemoveRange(0, released.Count);
                heldText.Clear();
                if (keep > 0) { heldText.Append(text[^keep..]); held.Add(new TextPiece(text[^keep..], token.Id)); }
            }
        }

        public IEnumerable<ReplyEvent> Flush()
        {
            if (heldText.Length > 0 && !Stopped) yield return new TextPiece(heldText.ToString(), held[^1].TokenId) { Tokens = [.. heldTokens] };
            held.Clear();
            heldTokens.Clear();
            heldText.Clear();
        }

        static int LongestSuffixThatStarts(string text, string stop)
        {
            for (var n = Math.Min(text.Length, stop.Length - 1); n > 0; n--)
                if (stop.StartsWith(text[^n..], StringComparison.Ordinal)) return n;
            return 0;
        }
    }
}
