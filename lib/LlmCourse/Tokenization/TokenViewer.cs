using System.Globalization;
using System.Text;
using LlmCourse.Visuals;

namespace LlmCourse.Tokenization;

/// <summary>
/// A Tiktokenizer-style view of how tokenizers cut a text: one coloured span per token with its id
/// underneath (and on hover), whitespace made visible (· space, → tab, ↵ newline), the token count and
/// characters per token. Several tokenizers show side by side. A character split over several
/// tokens (an emoji, a rare letter) shows each token's bytes in hex, the character on hover.
/// </summary>
public sealed class TokenViewer : HtmlView
{
    /// <summary>How many tokens a panel draws before it summarises the rest.</summary>
    public const int MaxTokensShown = 1500;

    /// <summary>One text, one panel per tokenizer: <c>new TokenViewer("hello world", cl100k, o200k)</c>.</summary>
    public TokenViewer(string text, params ITokenizer[] tokenizers)
        : this(tokenizers.Select(t => t.Tokenize(text)))
    {
        if (tokenizers.Length == 0) throw new ArgumentException("Give at least one tokenizer.", nameof(tokenizers));
    }

    /// <summary>Any panels, e.g. several texts through one tokenizer.</summary>
    public TokenViewer(IEnumerable<TokenizedText> results) => Results = results.ToList();

    /// <summary>One tokenizer, one panel per text: <c>TokenViewer.Texts(cl100k, "hello world", "Hello World")</c>.</summary>
    public static TokenViewer Texts(ITokenizer tokenizer, params string[] texts) => new(texts.Select(tokenizer.Tokenize));

    public IReadOnlyList<TokenizedText> Results { get; }

    static readonly string[] Colors =
        ["rgba(107,64,216,.22)", "rgba(104,222,122,.35)", "rgba(244,172,54,.35)", "rgba(239,65,70,.25)", "rgba(39,181,234,.3)"];

    public override string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<div style=\"display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;font-family:ui-sans-serif,system-ui,sans-serif;font-size:14px\">");
        foreach (var result in Results) Panel(result, html);
        html.Append("</div>");
        return html.ToString();
    }

    static void Panel(TokenizedText result, StringBuilder html)
    {
        html.Append("<div style=\"border:1px solid #ddd;border-radius:6px;padding:8px;min-width:0\">");
        html.Append($"<div style=\"margin-bottom:6px\"><b>{Escape(result.Tokenizer.Name)}</b> <span style=\"color:#666\">· {result.Tokenizer.VocabSize.ToString("N0", CultureInfo.InvariantCulture)} ids</span><br>")
            .Append($"<b>{result.Tokens.ToString("N0", CultureInfo.InvariantCulture)}{(result.Tokens == 1 ? " token" : " tokens")}</b> · {result.Chars.ToString("N0", CultureInfo.InvariantCulture)} chars · ")
            .Append($"{result.CharsPerToken.ToString("F2", CultureInfo.InvariantCulture)} chars/token</div>");
        html.Append("<div style=\"line-height:1.1;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px\">");
        int index = 0;
        foreach (var piece in result.Pieces())
        {
            if (index >= MaxTokensShown) break;
            foreach (var (id, label, isPart) in piece.Tokens)
            {
                var color = Colors[index++ % Colors.Length];
                var title = $"id {id}" + (isPart ? $" · bytes of '{piece.Text}'" : $" · {TokenText.Show(Encoding.UTF8.GetBytes(piece.Text))}");
                html.Append($"<span title=\"{Escape(title)}\" style=\"display:inline-flex;flex-direction:column;align-items:center;background:{color};border-radius:3px;margin:0 1px 4px 0;padding:1px 1px 0 1px;vertical-align:top\">")
                    .Append($"<span style=\"white-space:pre\">{VisibleWhitespace(label, isPart)}</span>")
                    .Append($"<span style=\"font-size:9px;color:#555\">{id}</span></span>");
                if (!isPart && label.EndsWith('\n')) html.Append("<br>");
            }
        }
        if (result.Tokens > MaxTokensShown)
            html.Append($"<div style=\"color:#666\">… and {(result.Tokens - MaxTokensShown).ToString("N0", CultureInfo.InvariantCulture)} more tokens</div>");
        html.Append("</div></div>");
    }

    static string VisibleWhitespace(string label, bool isPart)
    {
        if (isPart) return $"<span style=\"color:#a33\">{Escape(label)}</span>";
        var s = new StringBuilder();
        foreach (var c in label)
            s.Append(c switch
            {
                ' ' => "<span style=\"color:#999\">·</span>",
                '\t' => "<span style=\"color:#999\">→</span>",
                '\n' => "<span style=\"color:#999\">↵</span>",
                '\r' => "<span style=\"color:#999\">␍</span>",
                _ => Escape(c.ToString()),
            });
        return s.Length == 0 ? "&nbsp;" : s.ToString();
    }

    public override string ToText()
    {
        var text = new StringBuilder();
        foreach (var r in Results)
        {
            text.AppendLine(r.Summary);
            text.AppendLine(string.Join("|", r.Pieces().SelectMany(p => p.Tokens.Select(t => t.Label))).Replace("\n", "\\n"));
            text.AppendLine(string.Join(" ", r.Ids.Take(MaxTokensShown)) + (r.Tokens > MaxTokensShown ? " ..." : ""));
        }
        return text.ToString().TrimEnd();
    }
}
