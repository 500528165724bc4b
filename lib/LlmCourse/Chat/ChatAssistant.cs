using System.Text;
using LlmCourse.Generation;

namespace LlmCourse.Chat;

/// <summary>Something that happened while the assistant wrote its reply, in order.</summary>
public abstract record ReplyEvent;

/// <summary>A token of the assistant's text (its <see cref="Text"/> may be empty mid-character).</summary>
public sealed record TextPiece(string Text, int TokenId) : ReplyEvent;

/// <summary>The assistant called a tool: the call exactly as it wrote it, e.g. "calculator(13 - 4)".</summary>
public sealed record ToolCalled(string Call) : ReplyEvent;

/// <summary>The harness ran the call and wrote the result into the context window.</summary>
public sealed record ToolAnswered(string Call, string Result) : ReplyEvent;

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
}

/// <summary>How to write one reply.</summary>
/// <param name="MaxTokens">The most tokens the model may write.</param>
/// <param name="StopSequences">Text that ends the reply where it appears (not included).</param>
public sealed record ReplyOptions(Sampling? Sampling = null, int MaxTokens = 120, int Seed = 0, IReadOnlyList<string>? StopSequences = null);

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

    /// <summary>The same model with tools (part 5).</summary>
    public ChatAssistant WithTools(Func<string, string> tools) => new(Model, Template, tools);

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
        var stops = new StopSequenceFilter(options.StopSequences ?? []);
        for (var round = 0; ; round++)
        {
            var room = Math.Min(options.MaxTokens - written, context - prompt.Count);
            if (room <= 0)
            {
                foreach (var e in Flush(stops)) yield return e;
                yield return new ReplyFinished(written >= options.MaxTokens ? ReplyEnd.MaxTokens : ReplyEnd.ContextFull, promptTokens, written);
                yield break;
            }
            List<int>? call = null;
            var wroteThisRound = 0;
            string? toolCall = null;
            foreach (var token in Model.Stream(prompt, room, options.Sampling ?? Sampling.Greedy, options.Seed + round, stopTokens: [Template.EndId]))
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
                    foreach (var e in Flush(stops)) yield return e;
                    yield return new ReplyFinished(ReplyEnd.EndOfTurn, promptTokens, written);
                    yield break;
                }
                foreach (var e in stops.Add(token)) yield return e;
                if (stops.Stopped) { yield return new ReplyFinished(ReplyEnd.StopSequence, promptTokens, written); yield break; }
            }
            if (toolCall is null)
            {
                foreach (var e in Flush(stops)) yield return e;
                var end = wroteThisRound < room ? ReplyEnd.EndOfTurn : written >= options.MaxTokens ? ReplyEnd.MaxTokens : ReplyEnd.ContextFull;
                yield return new ReplyFinished(end, promptTokens, written);
                yield break;
            }

            foreach (var e in Flush(stops)) yield return e;
            yield return new ToolCalled(toolCall);
            var result = Tools is null ? "error: no tools are available" : Tools(toolCall);
            yield return new ToolAnswered(toolCall, result);
            // The result goes into the context as tokens the model did not write (and is never trained on).
            prompt.Add(Template.ToolResultId);
            prompt.AddRange(Template.Tokenizer.Encode(result));
            prompt.Add(Template.ToolResultEndId);
        }
    }

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

    static IEnumerable<ReplyEvent> Flush(StopSequenceFilter stops) => stops.Flush();

    /// <summary>
    /// Holds back text that might be the start of a stop sequence, so a stop sequence never reaches the caller
    /// even when it spans several tokens.
    /// </summary>
    sealed class StopSequenceFilter(IReadOnlyList<string> stops)
    {
        readonly List<TextPiece> held = [];
        readonly StringBuilder heldText = new();
        public bool Stopped { get; private set; }

        public IEnumerable<ReplyEvent> Add(GeneratedToken token)
        {
            if (stops.Count == 0) { yield return new TextPiece(token.Text, token.Id); yield break; }
            held.Add(new TextPiece(token.Text, token.Id));
            heldText.Append(token.Text);
            var text = heldText.ToString();
            foreach (var stop in stops)
            {
                var at = text.IndexOf(stop, StringComparison.Ordinal);
                if (at < 0) continue;
                Stopped = true;
                if (at > 0) yield return new TextPiece(text[..at], held[0].TokenId);
                held.Clear();
                heldText.Clear();
                yield break;
            }
            // Release everything that cannot be the beginning of a stop sequence.
            var keep = stops.Max(s => LongestSuffixThatStarts(text, s));
            if (keep == 0 || keep < text.Length)
            {
                var release = text[..(text.Length - keep)];
                if (release.Length > 0) yield return new TextPiece(release, held[^1].TokenId);
                held.Clear();
                heldText.Clear();
                if (keep > 0) { heldText.Append(text[^keep..]); held.Add(new TextPiece(text[^keep..], token.Id)); }
            }
        }

        public IEnumerable<ReplyEvent> Flush()
        {
            if (heldText.Length > 0 && !Stopped) yield return new TextPiece(heldText.ToString(), held[^1].TokenId);
            held.Clear();
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
