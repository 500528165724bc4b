using System.Text;
using LlmCourse.Chat;
using LlmCourse.Tokenization;
using LlmCourse.Visuals;

namespace LlmCourse.Practice;

/// <summary>
/// What fits in a model's context window. A chat application sends the whole conversation with every request;
/// when it outgrows the window (less the room kept for the reply), something has to go. The rule here is the one
/// <see cref="ChatSession"/> and most chat apps follow: drop the oldest exchanges first, whole (a user message and
/// everything the assistant did after it), and always keep the newest user message — the model then simply does
/// not know what was dropped.
/// </summary>
/// <example>
/// <code>
/// ContextBudget.For(assistant).Fit(history)                                  // the course model: 256 tokens
/// ContextBudget.OpenAi(contextWindow: 128_000, reservedForReply: 4_000).Fit(history)
/// </code>
/// </example>
/// <param name="contextWindow">The most tokens the model reads at once, prompt and reply together.</param>
/// <param name="reservedForReply">Tokens kept free for the reply.</param>
/// <param name="countTokens">A conversation's size as a prompt, in tokens, chat markup included.</param>
public sealed class ContextBudget(int contextWindow, int reservedForReply, Func<IReadOnlyList<Message>, int> countTokens)
{
    public int ContextWindow { get; } = contextWindow > 0 ? contextWindow
        : throw new ArgumentOutOfRangeException(nameof(contextWindow), contextWindow, "A context window holds at least one token.");

    public int ReservedForReply { get; } = reservedForReply >= 0 && reservedForReply < contextWindow ? reservedForReply
        : throw new ArgumentOutOfRangeException(nameof(reservedForReply), reservedForReply, $"The reply's room must be between 0 and the context window ({contextWindow}).");

    /// <summary>Tokens the conversation itself may take.</summary>
    public int ForPrompt => ContextWindow - ReservedForReply;

    /// <summary>A course chat model's budget: its own context length, counted exactly with the course chat template.</summary>
    public static ContextBudget For(ChatAssistant assistant, int reservedForReply = 80) =>
        new(assistant.Model.Model.Config.ContextLength, reservedForReply, history => assistant.Template.Prompt(history).Count);

    /// <summary>An OpenAI model's budget, counted with <paramref name="tokenizer"/> (o200k_base by default) and OpenAI's per-message overhead.</summary>
    public static ContextBudget OpenAi(int contextWindow, int reservedForReply, ITokenizer? tokenizer = null)
    {
        var encoding = tokenizer ?? TiktokenEncoding.O200kBase;
        return new(contextWindow, reservedForReply, history => PromptTokens.CountChat(history, encoding));
    }

    /// <summary>What of <paramref name="history"/> goes to the model, and what is dropped.</summary>
    public ContextFit Fit(IReadOnlyList<Message> history)
    {
        if (history.Count == 0) throw new ArgumentException("There is no conversation to fit.", nameof(history));
        var start = 0;
        int Size() => countTokens(history.Skip(start).ToList());
        while (Size() > ForPrompt)
        {
            var nextUser = -1;
            for (var i = start + 1; i < history.Count; i++)
                if (history[i].Role == Role.User) { nextUser = i; break; }
            if (nextUser < 0) break;   // only the newest exchange is left: it does not fit, and the fit says so
            start = nextUser;
        }
        // Each message's share: what it adds to the prompt after the ones before it (dropped and kept counted apart).
        var sizes = new int[history.Count];
        void Shares(int from, int to)
        {
            var before = 0;
            for (var i = from; i < to; i++)
            {
                var upTo = countTokens(history.Skip(from).Take(i + 1 - from).ToList());
                sizes[i] = upTo - before;
                before = upTo;
            }
        }
        Shares(0, start);
        Shares(start, history.Count);
        return new ContextFit(this, history, start, Size(), sizes);
    }
}

/// <summary>The outcome of <see cref="ContextBudget.Fit"/>: the messages kept, the ones dropped, and the tokens left for the reply.</summary>
public sealed class ContextFit : HtmlView
{
    readonly IReadOnlyList<Message> history;
    readonly IReadOnlyList<int> sizes;

    internal ContextFit(ContextBudget budget, IReadOnlyList<Message> history, int firstKept, int promptTokens, IReadOnlyList<int> sizes)
    {
        Budget = budget;
        this.history = history;
        this.sizes = sizes;
        Dropped = [.. history.Take(firstKept)];
        Kept = [.. history.Skip(firstKept)];
        PromptTokens = promptTokens;
    }

    public ContextBudget Budget { get; }

    /// <summary>The messages the model reads, oldest first.</summary>
    public IReadOnlyList<Message> Kept { get; }

    /// <summary>The oldest messages, cut to make room.</summary>
    public IReadOnlyList<Message> Dropped { get; }

    /// <summary>The kept conversation's size, in tokens.</summary>
    public int PromptTokens { get; }

    /// <summary>Whether the kept conversation and the reply's room fit the window (false: even the newest message alone is too long).</summary>
    public bool Fits => PromptTokens <= Budget.ForPrompt;

    /// <summary>Tokens left for the reply (may exceed the reserve when the conversation is short).</summary>
    public int LeftForReply => Budget.ContextWindow - PromptTokens;

    string Summary =>
        $"{PromptTokens:N0} of {Budget.ContextWindow:N0} tokens used by the conversation ({Budget.ReservedForReply:N0} kept for the reply); " +
        (Fits ? Dropped.Count == 0 ? "everything fits." : $"the oldest {Dropped.Count} message(s) were dropped to make room."
              : "even the newest message alone does not fit: it must be shortened.");

    Table View => Table.Of(history.Select((m, i) => new
    {
        role = m.Role.ToString(),
        message = m.Content.Length > 60 ? m.Content[..60] + "…" : m.Content,
        tokens = sizes[i],
        sent = i >= Dropped.Count ? "kept" : "dropped",
    }));

    public override string ToHtml() => $"<div style=\"font-size:13px;margin-bottom:4px\">{Escape(Summary)}</div>" + View.ToHtml();
    public override string ToText() => Summary + "\n" + View.ToText();
}
