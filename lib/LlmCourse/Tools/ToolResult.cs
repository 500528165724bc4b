namespace LlmCourse.Tools;

/// <summary>
/// What a tool call puts back into the model's context: one short text, and whether it reports a failure.
/// Failures are ordinary results ("error: division by zero") because the model has to read them and try
/// again; <see cref="IsError"/> is for the harness (counting failed calls, colouring a transcript).
/// </summary>
public sealed record ToolResult(string Text, bool IsError = false)
{
    /// <summary>
    /// Characters a result may take by default. The assistant's whole context is 256 tokens, so a result
    /// gets about 40–60 of them; at roughly 4 characters a token that is about 200 characters.
    /// </summary>
    public const int DefaultMaxLength = 200;

    /// <summary>The mark a cut result ends with, so the model can tell the text goes on.</summary>
    public const string Ellipsis = "…";

    /// <summary>A failure the model can read: "error: " and a short message on one line.</summary>
    public static ToolResult Error(string message) => new("error: " + OneLine(message), IsError: true);

    /// <summary>
    /// This result cut to at most <paramref name="maxLength"/> characters, ending with "…" when it was
    /// cut. The cut falls between words when one is near, so the model does not see a broken word.
    /// </summary>
    public ToolResult Truncate(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        return Text.Length <= maxLength ? this : this with { Text = Cut(Text, maxLength) };
    }

    /// <summary><paramref name="text"/> in at most <paramref name="maxLength"/> characters, "…" last if it was cut.</summary>
    public static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        int end = maxLength - Ellipsis.Length;
        // Prefer the last space in the final quarter; a long word (a URL, a number) is cut where it is.
        int space = text.LastIndexOf(' ', end, end + 1);
        if (space >= end - maxLength / 4 && space > 0) end = space;
        // Never split a surrogate pair (an emoji would become an invalid character).
        if (char.IsHighSurrogate(text[end - 1])) end--;
        return text[..end].TrimEnd() + Ellipsis;
    }

    /// <summary>Text made safe to quote inside a one-line message: newlines become spaces, long text is cut.</summary>
    public static string Quote(string text, int maxLength = 40) =>
        "'" + Cut(OneLine(text), maxLength) + "'";

    static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    public override string ToString() => Text;
}
