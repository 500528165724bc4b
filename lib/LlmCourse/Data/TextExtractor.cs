using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace LlmCourse.Data;

/// <summary>What extraction kept of a page: its title, byline ("source"), and plain text with paragraph breaks; or why there is nothing.</summary>
public sealed record ExtractedPage(string? Title, string? Source, string Text, string? DropReason = null)
{
    public bool Keep => DropReason == null;
    public override string ToString() => Keep ? $"{Title}\n\n{Text}" : $"(dropped: {DropReason})";
}

/// <summary>
/// Step 4 of FineWeb: HTML in, readable text out (FineWeb uses trafilatura). A real HTML5 parser
/// (AngleSharp) builds the same tree a browser would, even from broken markup; then we pick the
/// article (article, main, role=main, #content, or the body), drop what is not content — scripts,
/// styles, navigation, ads, cookie banners, sidebars, share buttons, footers — and keep the title,
/// the byline and paragraph breaks. List items become "- " lines.
/// </summary>
public static class TextExtractor
{
    /// <summary>Pages larger than this are not parsed (Common Crawl itself truncates records at 1 MiB).</summary>
    public const int MaxHtmlChars = 2_000_000;

    static readonly HashSet<string> SkipTags = ["script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav", "aside",
        "footer", "select", "input", "textarea", "head", "object", "embed", "canvas", "video", "audio", "picture"];

    static readonly HashSet<string> BlockTags = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
        "table", "tr", "section", "article", "main", "header", "dl", "dt", "dd", "br", "hr", "figure", "figcaption", "address", "body"];

    /// <summary>Class or id words that mark page furniture rather than content.</summary>
    static readonly HashSet<string> JunkWords = ["ad", "ads", "advert", "advertisement", "banner", "cookie", "cookies", "consent", "sidebar",
        "share", "social", "related", "newsletter", "promo", "sponsored", "menu", "navbar", "nav", "breadcrumb", "breadcrumbs",
        "footer", "popup", "modal", "signup", "subscribe"];

    static readonly ThreadLocal<HtmlParser> Parser = new(() => new HtmlParser());

    /// <summary>Extract from raw bytes as fetched: decode (BOM, else strict UTF-8, else Latin-1), then extract.</summary>
    public static ExtractedPage Extract(byte[] body)
    {
        if (body.Length == 0) return new(null, null, "", "empty response");
        string html;
        if (body.Length >= 2 && (body[0] == 0xFF && body[1] == 0xFE || body[0] == 0xFE && body[1] == 0xFF))
            html = (body[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(body, 2, body.Length - 2);
        else
        {
            try { html = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body); }
            catch (DecoderFallbackException) { html = Encoding.Latin1.GetString(body); } // a mislabelled legacy page
        }
        return Extract(html);
    }

    public static ExtractedPage Extract(string html)
    {
        if (string.IsNullOrWhiteSpace(html)) return new(null, null, "", "empty response");
        if (html.Length > MaxHtmlChars) return new(null, null, "", $"page too large ({html.Length / 1_000_000.0:0.0} M chars > {MaxHtmlChars / 1_000_000} M)");
        if (LooksBinary(html)) return new(null, null, "", "binary content");

        var doc = Parser.Value!.ParseDocument(html);
        var body = doc.Body;
        if (body == null) return new(null, null, "", "no body");
        var root = doc.QuerySelector("article") ?? doc.QuerySelector("main") ?? doc.QuerySelector("[role=main]")
                   ?? doc.QuerySelector("#content") ?? doc.QuerySelector(".post") ?? body;

        var h1 = root.QuerySelector("h1") ?? body.QuerySelector("h1");
        var title = Clean(h1?.TextContent) is { Length: > 0 } t ? t : Clean(doc.Title);
        if (title?.Length == 0) title = null;
        var byline = root.QuerySelector(".byline");
        var source = Clean(byline?.TextContent) is { Length: > 0 } s ? s : null;

        var blocks = new List<(string Text, bool Item)>();
        var current = new StringBuilder();
        bool inItem = false;
        void Flush()
        {
            var text = Clean(current.ToString());
            if (text.Length > 0) blocks.Add((inItem ? "- " + text : text, inItem));
            current.Clear();
        }

        // An explicit stack, not recursion: a hostile page can nest elements deeper than the call stack.
        var stack = new Stack<(INode Node, bool Exit)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, exit) = stack.Pop();
            if (node is IText text) { current.Append(text.Data); continue; }
            if (node is not IElement e) continue;
            var tag = e.LocalName;
            if (exit)
            {
                if (tag is "td" or "th") current.Append(' ');
                if (BlockTags.Contains(tag)) { Flush(); if (tag == "li") inItem = false; }
                continue;
            }
            if (e == h1 || e == byline || SkipTags.Contains(tag) || IsJunk(e)) continue;
            if (BlockTags.Contains(tag)) { Flush(); if (tag == "li") inItem = true; }
            stack.Push((e, true));
            for (int i = e.ChildNodes.Length - 1; i >= 0; i--) stack.Push((e.ChildNodes[i], false));
        }
        Flush();

        var sb = new StringBuilder();
        for (int i = 0; i < blocks.Count; i++)
        {
            if (i > 0) sb.Append(blocks[i].Item && blocks[i - 1].Item ? "\n" : "\n\n");
            sb.Append(blocks[i].Text);
        }
        var result = sb.ToString();
        return new ExtractedPage(title, source, result, result.Length == 0 ? "no text after extraction" : null);
    }

    static IEnumerable<string> ClassWords(IElement e) =>
        ((e.ClassName ?? "") + " " + (e.Id ?? "")).ToLowerInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries);

    static bool IsJunk(IElement e) => (e.ClassName != null || e.Id != null) && ClassWords(e).Any(JunkWords.Contains);

    /// <summary>Control characters other than whitespace mean this is not a text document.</summary>
    static bool LooksBinary(string html)
    {
        int n = Math.Min(html.Length, 8192), bad = 0;
        for (int i = 0; i < n; i++)
        {
            char c = html[i];
            if (c < 32 && c != '\n' && c != '\r' && c != '\t' && c != '\f') bad++;
        }
        return bad > n / 100;
    }

    /// <summary>Collapse runs of whitespace (including non-breaking spaces) to one space.</summary>
    static string Clean(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length);
        bool space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
