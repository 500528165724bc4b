using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCourse.Chat;

/// <summary>Who wrote a message: the user, the assistant, or — inside the assistant's turn — a tool call the assistant made and the result the harness wrote back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Role>))]
public enum Role { User, Assistant, ToolCall, ToolResult }

/// <summary>One message of a conversation.</summary>
public sealed record Message(Role Role, string Content)
{
    public static Message User(string content) => new(Role.User, content);
    public static Message Assistant(string content) => new(Role.Assistant, content);
    public static Message ToolCall(string call) => new(Role.ToolCall, call);
    public static Message ToolResult(string result) => new(Role.ToolResult, result);

    public override string ToString() => $"{Role}: {Content}";
}

/// <summary>
/// A conversation as the dataset holds it: what kind of example it is ("fact", "seed", "refusal", ...) and its
/// messages in order. The user speaks first; the assistant's side of each turn is its text, possibly with tool
/// calls and their results in between.
/// </summary>
public sealed record Conversation
{
    [JsonConstructor]
    public Conversation(string kind, IReadOnlyList<Message> messages) => (Kind, Messages) = (kind, messages);

    public Conversation(string kind, params Message[] messages) : this(kind, (IReadOnlyList<Message>)messages) { }

    /// <summary>What kind of example it is ("fact", "seed", "refusal", "problem: add", ...).</summary>
    public string Kind { get; }
    public IReadOnlyList<Message> Messages { get; }

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    /// <summary>One line of JSONL: <c>{"kind":"fact","messages":[{"role":"User","content":"..."}, ...]}</c>.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads one JSONL line back; a malformed line gets an error that quotes it.</summary>
    public static Conversation FromJsonLine(string line) =>
        JsonSerializer.Deserialize<Conversation>(line, Json) is { Kind: not null, Messages: not null } c
            ? c
            : throw new FormatException($"not a conversation: {(line.Length > 80 ? line[..80] + "…" : line)}");

    public override string ToString() => $"[{Kind}] " + string.Join(" | ", Messages);
}
