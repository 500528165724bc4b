using System.Net;

namespace LlmCourse.Visuals;

/// <summary>
/// Base class of everything the course shows as HTML in a notebook (charts, token viewers, tables).
/// A cell whose value is an HtmlView renders as its HTML, in VS Code and in the headless runner.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public abstract class HtmlView
{
    /// <summary>The HTML fragment: self-contained, no external stylesheet assumed.</summary>
    public abstract string ToHtml();

    /// <summary>What a plain-text front end shows instead (and what ToString returns).</summary>
    public virtual string ToText() => GetType().Name;

    public override string ToString() => ToText();

    protected static string Escape(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>Raw HTML as a value, for a cell that builds its own markup.</summary>
public sealed class Html(string html, string? text = null) : HtmlView
{
    public override string ToHtml() => html;
    public override string ToText() => text ?? html;
}

/// <summary>The formatter source the convention points at: one HTML and one plain-text formatter.</summary>
public sealed class HtmlFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
        [new ViewFormatter("text/html", v => v.ToHtml()), new ViewFormatter("text/plain", v => v.ToText())];

    public sealed class ViewFormatter(string mimeType, Func<HtmlView, string> render)
    {
        public string MimeType { get; } = mimeType;
        public Type Type => typeof(HtmlView);

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not HtmlView view) return false;
            writer.Write(render(view));
            return true;
        }
    }
}
