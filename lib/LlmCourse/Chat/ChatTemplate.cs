using LlmCourse.Tokenization;

namespace LlmCourse.Chat;

/// <summary>
/// The chat template: how a conversation becomes one token sequence, and which of its tokens the model learns
/// to write. Special tokens mark who speaks:
/// <code>
/// &lt;|endoftext|&gt;&lt;|user|&gt;What is 2+2?&lt;|end|&gt;&lt;|assistant|&gt;2+2 = 4.&lt;|end|&gt;&lt;|user|&gt;...
/// </code>
/// and, inside the assistant's turn, a tool call and the result the harness writes back (part 5):
/// <code>
/// &lt;|assistant|&gt;&lt;|tool_call|&gt;calculator(13 - 4)&lt;|tool_call_end|&gt;&lt;|tool_result|&gt;9&lt;|tool_result_end|&gt;The apples cost $9.&lt;|end|&gt;
/// </code>
/// The <b>loss mask</b> trains the assistant's text, its tool calls and its end-of-turn token; never the user's
/// words, the &lt;|assistant|&gt; token the harness writes to start a turn, or a tool's result.
/// </summary>
/// <remarks>
/// The special tokens get ids after the course tokenizer's 4,097 (4,097 to 4,103). User text is encoded as
/// ordinary text, so a user typing "&lt;|end|&gt;" gets the characters, not the token.
/// </remarks>
public sealed class ChatTemplate
{
    public const string User = "<|user|>";
    public const string Assistant = "<|assistant|>";
    public const string End = "<|end|>";
    public const string ToolCall = "<|tool_call|>";
    public const string ToolCallEnd = "<|tool_call_end|>";
    public const string ToolResult = "<|tool_result|>";
    public const string ToolResultEnd = "<|tool_result_end|>";

    /// <summary>The chat tokens, in id order after &lt;|endoftext|&gt;.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = [User, Assistant, End, ToolCall, ToolCallEnd, ToolResult, ToolResultEnd];

    static readonly Lazy<ChatTemplate> course = new(() => new ChatTemplate(CourseTokenizer.LoadShipped()));

    /// <summary>The course tokenizer with the chat tokens added.</summary>
    public static ChatTemplate Course => course.Value;

    /// <param name="tokenizer">A tokenizer with &lt;|endoftext|&gt;; the chat tokens are added after its ids.</param>
    public ChatTemplate(BpeTokenizer tokenizer)
    {
        if (!tokenizer.SpecialTokens.ContainsKey(CourseTokenizer.EndOfText))
            throw new ArgumentException($"The tokenizer needs {CourseTokenizer.EndOfText}: every conversation starts with it.", nameof(tokenizer));
        Tokenizer = tokenizer.WithSpecialTokens([.. SpecialTokens]);
        var ids = Tokenizer.SpecialTokens;
        (EndOfTextId, UserId, AssistantId, EndId) = (ids[CourseTokenizer.EndOfText], ids[User], ids[Assistant], ids[End]);
        (ToolCallId, ToolCallEndId, ToolResultId, ToolResultEndId) = (ids[ToolCall], ids[ToolCallEnd], ids[ToolResult], ids[ToolResultEnd]);
    }

    /// <summary>The tokenizer with the chat tokens (4,104 ids for the course tokenizer).</summary>
    public BpeTokenizer Tokenizer { get; }

    public int EndOfTextId { get; }
    public int UserId { get; }
    public int AssistantId { get; }
    public int EndId { get; }
    public int ToolCallId { get; }
    public int ToolCallEndId { get; }
    public int ToolResultId { get; }
    public int ToolResultEndId { get; }

    /// <summary>The whole conversation as tokens and its loss mask; the conversation must end with the assistant's turn.</summary>
    public RenderedConversation Render(Conversation conversation)
    {
        var rendered = Build(conversation.Messages, openEnded: false);
        if (!rendered.Trained.Contains(true))
            throw new ArgumentException($"Conversation '{conversation.Kind}' gives the model nothing to learn: it has no assistant text.", nameof(conversation));
        return rendered;
    }

    /// <summary>
    /// What the model reads before writing its reply: the history, then &lt;|assistant|&gt; to start its turn (or, if the
    /// history ends inside the assistant's turn — after a tool result — the turn left open to continue).
    /// </summary>
    public IReadOnlyList<int> Prompt(IReadOnlyList<Message> history)
    {
        if (history.Count == 0) throw new ArgumentException("A prompt needs at least the user's message.", nameof(history));
        var tokens = Build(history, openEnded: true).Tokens.ToList();
        if (history[^1].Role == Role.User) tokens.Add(AssistantId);
        return tokens;
    }

    RenderedConversation Build(IReadOnlyList<Message> messages, bool openEnded)
    {
        if (messages.Count == 0) throw new ArgumentException("A conversation needs at least one message.", nameof(messages));
        if (messages[0].Role != Role.User) throw new ArgumentException($"A conversation starts with the user, not with a {messages[0].Role} message.", nameof(messages));

        var tokens = new List<int> { EndOfTextId };
        var trained = new List<bool> { false };
        void Add(int id, bool train) { tokens.Add(id); trained.Add(train); }
        void AddText(string text, bool train) { foreach (var id in Tokenizer.Encode(text)) Add(id, train); }

        var inAssistantTurn = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            var previous = i > 0 ? messages[i - 1].Role : (Role?)null;
            switch (m.Role)
            {
                case Role.User:
                    if (previous == Role.User) throw new ArgumentException($"Message {i + 1}: two user messages in a row; the assistant answers in between.", nameof(messages));
                    if (previous == Role.ToolCall) throw new ArgumentException($"Message {i + 1}: a tool call must be followed by its result.", nameof(messages));
                    if (inAssistantTurn) { Add(EndId, true); inAssistantTurn = false; }
                    Add(UserId, false); AddText(m.Content, false); Add(EndId, false);
                    break;
                case Role.Assistant or Role.ToolCall or Role.ToolResult:
                    if (m.Role == Role.ToolResult && previous != Role.ToolCall)
                        throw new ArgumentException($"Message {i + 1}: a tool result must follow a tool call.", nameof(messages));
                    if (m.Role != Role.ToolResult && previous == Role.ToolCall)
                        throw new ArgumentException($"Message {i + 1}: a tool call must be followed by its result.", nameof(messages));
                    if (!inAssistantTurn) { Add(AssistantId, false); inAssistantTurn = true; }
                    if (m.Role == Role.Assistant) AddText(m.Content, true);
                    else if (m.Role == Role.ToolCall) { Add(ToolCallId, true); AddText(m.Content, true); Add(ToolCallEndId, true); }
                    else { Add(ToolResultId, false); AddText(m.Content, false); Add(ToolResultEndId, false); }
                    break;
            }
        }
        if (!openEnded)
        {
            if (messages[^1].Role is Role.User or Role.ToolCall or Role.ToolResult)
                throw new ArgumentException($"A training conversation ends with the assistant's text, not with a {messages[^1].Role} message.", nameof(messages));
            Add(EndId, true);
        }
        return new RenderedConversation(tokens, trained, this);
    }

    /// <summary>Tokens back to messages: the inverse of <see cref="Render"/> (the assistant's open turn, if any, is kept).</summary>
    public IReadOnlyList<Message> Parse(IReadOnlyList<int> tokens)
    {
        var messages = new List<Message>();
        var text = new List<int>();
        Role? open = null;   // what the tokens in `text` belong to
        void Flush()
        {
            if (open is { } role && (text.Count > 0 || role is Role.ToolCall or Role.ToolResult))
                messages.Add(new Message(role, Tokenizer.Decode(text)));
            text.Clear();
        }
        foreach (var id in tokens)
        {
            if (id == EndOfTextId) continue;
            if (id == UserId) { Flush(); open = Role.User; }
            else if (id == AssistantId) { Flush(); open = Role.Assistant; }
            else if (id == ToolCallId) { Flush(); open = Role.ToolCall; }
            else if (id == ToolResultId) { Flush(); open = Role.ToolResult; }
            else if (id == ToolCallEndId || id == ToolResultEndId) { Flush(); open = Role.Assistant; }
            else if (id == EndId) { Flush(); open = null; }
            else if (open is null) throw new FormatException($"Token {id} ({Tokenizer.Show(id)}) stands outside any turn.");
            else text.Add(id);
        }
        Flush();
        return messages;
    }
}
