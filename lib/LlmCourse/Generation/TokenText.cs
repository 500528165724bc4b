namespace LlmCourse.Generation;

/// <summary>Token text made visible: whitespace a reader would miss is drawn.</summary>
public static class TokenText
{
    /// <summary>The text in quotes with newlines and tabs shown as \n and \t.</summary>
    public static string Quote(string text) => "\"" + Visible(text) + "\"";

    public static string Visible(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
}
