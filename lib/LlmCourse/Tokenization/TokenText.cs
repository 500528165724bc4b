using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>How a token reads as text, for printing merges, probability maps and viewers: whitespace a reader would miss is drawn.</summary>
public static class TokenText
{
    static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    /// <summary>The bytes as a string if they are whole UTF-8 characters, else null.</summary>
    public static string? TryDecode(byte[] bytes)
    {
        try { return Strict.GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>'the', ' the', '\n' (escaped, quoted), or &lt;e2 80&gt; for bytes that are part of a character.</summary>
    public static string Show(byte[] bytes) =>
        TryDecode(bytes) is { } s
            ? "'" + Visible(s.Replace("\\", "\\\\")) + "'"
            : "<" + string.Join(" ", bytes.Select(b => b.ToString("x2"))) + ">";

    /// <summary>The text in double quotes with newlines and tabs shown as \n and \t.</summary>
    public static string Quote(string text) => "\"" + Visible(text) + "\"";

    /// <summary>Newlines, carriage returns and tabs shown as \n, \r and \t.</summary>
    public static string Visible(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
}
