using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>How a token's bytes read as text, for printing merges and building viewers.</summary>
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
            ? "'" + s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "'"
            : "<" + string.Join(" ", bytes.Select(b => b.ToString("x2"))) + ">";
}
