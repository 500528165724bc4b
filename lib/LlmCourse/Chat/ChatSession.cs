using System.Text;
using LlmCourse.Generation;

namespace LlmCourse.Chat;

/// <summary>
/// A conversation with the assistant: it keeps the history, renders it through the chat template, and lets
/// the model write each reply until it ends its turn. When the history outgrows the model's context window,
/// the oldest exchanges are dropped (the model forgets them, as real chat apps do).
/// </summary>
/// <example>
/// <code>
/// var chat = new ChatSession(SupervisedFineTuning.LoadShipped());
/// chat.Ask("What is the capital of Peru?")                 // "The capital of Peru is Lima."
/// foreach (var piece in chat.Stream("And what about Japan?")) Console.Write(piece is TextPiece t ? t.Text : "");
/// </code>
/// </example>
public sealed class ChatSession(ChatAssistant assistant)
{
    readonly List<Message> history = [];

    public ChatAssistant Assistant { get; } = assistant;
    public IReadOnlyList<Message> History => history;

    /// <summary>How tokens are picked (greedy by default: the same question gets the same answer).</summary>
    public Sampling Sampling { get; set; } = Sampling.Greedy;

    /// <summary>The most tokens one reply may take (the context window may stop it sooner).</summary>
    public int MaxReplyTokens { get; set; } = 150;

    /// <summary>Context kept free for the reply when old exchanges are dropped to make room.</summary>
    public int ReservedForReply { get; set; } = 80;

    /// <summary>Forgets the conversation.</summary>
    public void Reset() => history.Clear();

    /// <summary>
    /// The assistant's reply to <paramref name="userMessage"/>, as text (tool calls, if any, happen on the way). Only the model's
    /// words: what the harness notes (a broken tool call, an empty reply) comes as <see cref="HarnessNote"/> from <see cref="Stream"/>.
    /// </summary>
    public string Ask(string userMessage, int seed = 0)
    {
        var text = new StringBuilder();
        foreach (var e in Stream(userMessage, seed))
            if (e is TextPiece piece) text.Append(piece.Text);
        return text.ToString();
    }

    /// <summary>
    /// The reply as it is written: text a token at a time, tool calls and their results, then how it ended. The
    /// history gets the user's message at once and the assistant's side as the reply completes — always, even when the
    /// reply is empty, stopped or failed, so user and assistant keep taking turns. A message that cannot be answered at
    /// all (too long for the context) throws and leaves the history as it was.
    /// </summary>
    public IEnumerable<ReplyEvent> Stream(string userMessage, int seed = 0, CancellationToken cancellation = default)
    {
        // The last reply was never read (its events not enumerated): it stays an empty turn.
        if (history.Count > 0 && history[^1].Role == Role.User) history.Add(Message.Assistant(""));
        history.Add(Message.User(userMessage));
        FitToContext();
        IEnumerable<ReplyEvent> events;
        try { events = Assistant.Reply(history, new ReplyOptions(Sampling, MaxReplyTokens, seed), cancellation); }
        catch
        {
            history.RemoveAt(history.Count - 1);
            throw;
        }
        return Record(events);
    }

    IEnumerable<ReplyEvent> Record(IEnumerable<ReplyEvent> events)
    {
        var text = new StringBuilder();
        void FlushText() { if (text.Length > 0) { history.Add(Message.Assistant(text.ToString())); text.Clear(); } }
        try
        {
            foreach (var e in events)
            {
                switch (e)
                {
                    case TextPiece piece: text.Append(piece.Text); break;
                    case ToolCalled call: FlushText(); history.Add(Message.ToolCall(call.Call)); break;
                    case ToolAnswered answer: history.Add(Message.ToolResult(answer.Result)); break;
                }
                yield return e;
            }
        }
        finally
        {
            FlushText();
            // A reply that stopped inside a tool call leaves it unanswered; the template needs every call answered.
            if (history[^1].Role == Role.ToolCall) history.Add(Message.ToolResult("error: the reply stopped before the tool ran"));
            // An empty reply is still the assistant's turn: without it the next message would be a second user turn in a row.
            if (history[^1].Role == Role.User) history.Add(Message.Assistant(""));
        }
    }

    /// <summary>
    /// Drops the oldest exchanges until the conversation and <see cref="ReservedForReply"/> tokens fit the context window. The newest user
    /// message always stays; if even it does not fit, the error says so and the history is left as it was.
    /// </summary>
    void FitToContext()
    {
        var context = Assistant.Model.Model.Config.ContextLength;
        // A message that cannot fit even alone is refused first, before any older exchange is dropped for it.
        var alone = Assistant.Template.Prompt([history[^1]]).Count;
        if (alone + ReservedForReply > context)
        {
            history.RemoveAt(history.Count - 1);
            throw new ContextWindowException(
                $"Your message is {alone} tokens long with the chat tokens; with {ReservedForReply} tokens kept for the reply it does not fit the model's {context}-token context. Shorten it.");
        }
        while (Assistant.Template.Prompt(history).Count + ReservedForReply > context)
            history.RemoveRange(0, history.FindIndex(1, m => m.Role == Role.User));
    }
}
