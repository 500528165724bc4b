using System.Globalization;
using System.Text;

namespace LlmCourse.Visuals.Svg;

/// <summary>
/// Text in the static picture. There is no layout engine on the server, so widths are estimated from the font
/// plotly asks for ("Open Sans", else Verdana, else DejaVu Sans on Linux); these are wide fonts, so the estimate
/// errs on the wide side and labels that are placed apart by it do not collide in narrower fonts either.
/// </summary>
internal static class SvgText
{
    public const string FontFamily = "'Open Sans', verdana, arial, sans-serif";
    public const string Color = "#444";

    /// <summary>Estimated width in pixels of <paramref name="text"/> at <paramref name="fontSize"/>.</summary>
    public static double Width(string text, double fontSize)
    {
        double ems = 0;
        foreach (var c in text) ems += EmWidth(c);
        return ems * fontSize;
    }

    // Advance widths (in em) of Verdana / DejaVu Sans, grouped coarsely.
    static double EmWidth(char c) => c switch
    {
        'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' or 'I' => 0.30,
        'f' or 't' or 'r' or '(' or ')' or '[' or ']' or ' ' or '"' or '-' => 0.40,
        'm' or 'w' or 'M' or 'W' or '%' or '@' or '—' => 0.98,
        >= 'A' and <= 'Z' => 0.72,
        >= '0' and <= '9' => 0.64,
        _ when char.IsLowSurrogate(c) => 0,              // the high surrogate already counted the character
        _ when char.IsHighSurrogate(c) || c > '\u2E80' => 1.0,   // emoji, CJK: full width
        _ => 0.62,
    };

    /// <summary>Shortens <paramref name="text"/> with an ellipsis until it fits in <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(string text, double fontSize, double maxWidth)
    {
        if (Width(text, fontSize) <= maxWidth) return text;
        var budget = maxWidth - Width("…", fontSize);
        var end = 0;
        for (double used = 0; end < text.Length && used + EmWidth(text[end]) * fontSize <= budget; end++) used += EmWidth(text[end]) * fontSize;
        if (end > 0 && char.IsHighSurrogate(text[end - 1])) end--;
        return text[..end] + "…";
    }

    /// <summary>Text made safe for SVG/XML: markup escaped, control characters (not allowed in XML) shown as '?'.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\t' or '\n' or '\r' => " ",
                < ' ' or '\uFFFE' or '\uFFFF' => "?",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>A coordinate as SVG wants it: invariant culture, at most one decimal.</summary>
    public static string N(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A value for a label or a tooltip the way plotly writes one: up to four decimals, and from five digits on
    /// with an SI suffix (10650 is "10.65k").
    /// </summary>
    public static string Value(double value)
    {
        if (!double.IsFinite(value)) return "";
        var size = Math.Abs(value);
        var (factor, suffix) = size >= 1e12 ? (1e12, "T") : size >= 1e9 ? (1e9, "G") : size >= 1e6 ? (1e6, "M") : size >= 1e4 ? (1e3, "k") : (1, "");
        var text = (value / factor).ToString("0.####", CultureInfo.InvariantCulture);
        if (text is "0" or "-0" && value != 0) text = value.ToString("G4", CultureInfo.InvariantCulture);
        return Minus(text) + suffix;
    }

    /// <summary>plotly writes negative numbers with a real minus sign.</summary>
    public static string Minus(string number) => number.StartsWith('-') ? "−" + number[1..] : number;
}
