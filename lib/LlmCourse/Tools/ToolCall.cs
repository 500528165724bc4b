namespace LlmCourse.Tools;

/// <summary>
/// A tool call as the model writes it between its tool-call tokens: <c>name(argument)</c>, e.g.
/// <c>search(capital of Angola)</c> or <c>calculator((13 - 4) / 3)</c>. The argument is everything between
/// the first "(" and the last ")", so it may hold parentheses of its own; it is plain text, handed to the
/// tool as it is — nothing the model writes is ever evaluated as code.
/// </summary>
public sealed record ToolCall(string Name, string Argument)
{
    /// <summary>Parse a call, or throw a <see cref="FormatException"/> whose message says what is wrong.</summary>
    public static ToolCall Parse(string text) =>
        TryParse(text, out var call, out var error) ? call : throw new FormatException(error);

    /// <summary>
    /// Parse a call. On failure <paramref name="error"/> is a one-line message the model can read
    /// (it is what <see cref="ToolBox"/> answers a malformed call with).
    /// </summary>
    public static bool TryParse(string text, out ToolCall call, out string error)
    {
        call = new ToolCall("", "");
        error = "";
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return Fail("empty tool call, expected name(argument)", out error);

        int open = trimmed.IndexOf('(');
        if (open < 0) return Fail($"malformed call {ToolResult.Quote(trimmed)}: expected name(argument)", out error);
        int close = trimmed.LastIndexOf(')');
        if (close < open) return Fail($"malformed call {ToolResult.Quote(trimmed)}: missing ')'", out error);
        // Anything after the last ")" means the call did not end where the model thought it did.
        if (close != trimmed.Length - 1) return Fail($"malformed call {ToolResult.Quote(trimmed)}: text after ')'", out error);

        var name = trimmed[..open].TrimEnd();
        if (name.Length == 0) return Fail($"malformed call {ToolResult.Quote(trimmed)}: missing tool name", out error);
        if (!IsName(name)) return Fail($"malformed call: bad tool name {ToolResult.Quote(name)}", out error);

        call = new ToolCall(name, trimmed[(open + 1)..close].Trim());
        return true;
    }

    /// <summary>Tool names are identifiers: a letter or "_", then letters, digits or "_" (ASCII only).</summary>
    static bool IsName(string name) =>
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    /// <summary>The call as the model writes it.</summary>
    public override string ToString() => $"{Name}({Argument})";
}
