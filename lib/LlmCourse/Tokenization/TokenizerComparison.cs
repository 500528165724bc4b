using System.Globalization;
using System.Text;
using LlmCourse.Visuals;

namespace LlmCourse.Tokenization;

/// <summary>How many tokens one tokenizer spends on one kind of text.</summary>
public sealed record TokenStats(string Tokenizer, string Kind, int Words, int Bytes, int Tokens)
{
    /// <summary>Tokens per whitespace-separated word: 1.3 for English in GPT-4 means most words are one token.</summary>
    public double TokensPerWord => Words == 0 ? 0 : (double)Tokens / Words;

    /// <summary>UTF-8 bytes per token: how much text one token carries (1.0 for a byte tokenizer).</summary>
    public double BytesPerToken => Tokens == 0 ? 0 : (double)Bytes / Tokens;
}

/// <summary>
/// Tokenizers side by side over kinds of text (English, other languages, code, numbers): a table of
/// <see cref="TokenStats"/> and bar charts of tokens per word and bytes per token.
/// </summary>
public static class TokenizerComparison
{
    public static IReadOnlyList<TokenStats> Measure(IEnumerable<ITokenizer> tokenizers, IReadOnlyDictionary<string, string>? textsByKind = null)
    {
        textsByKind ??= SampleTexts.ByKind;
        return (from t in tokenizers
                from kv in textsByKind
                select new TokenStats(t.Name, kv.Key, CountWords(kv.Value), Encoding.UTF8.GetByteCount(kv.Value), t.Encode(kv.Value).Count)).ToList();
    }

    static int CountWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Bar chart: tokens per word, one bar group per kind of text, one colour per tokenizer.</summary>
    public static Figure TokensPerWord(IEnumerable<ITokenizer> tokenizers, IReadOnlyDictionary<string, string>? textsByKind = null) =>
        Chart(Measure(tokenizers, textsByKind), s => s.TokensPerWord, "Tokens per word (fewer = cheaper, longer context)");

    /// <summary>
    /// Bar chart: tokens each tokenizer spends on the same paragraph in six languages. Translations say the same
    /// thing, so this compares languages fairly (bytes per token would favour scripts that take 2–3 bytes per character).
    /// </summary>
    public static Figure TokensPerParagraph(IEnumerable<ITokenizer> tokenizers) =>
        Chart(Measure(tokenizers, SampleTexts.Translations), s => s.Tokens, "Tokens for the same paragraph, translated (fewer = cheaper, longer context)");

    /// <summary>Bar chart: UTF-8 bytes per token, one bar group per kind of text, one colour per tokenizer.</summary>
    public static Figure BytesPerToken(IEnumerable<ITokenizer> tokenizers, IReadOnlyDictionary<string, string>? textsByKind = null) =>
        Chart(Measure(tokenizers, textsByKind), s => s.BytesPerToken, "UTF-8 bytes per token (more = each token carries more text)");

    /// <summary>A grouped bar chart of any figure of the measurements: one bar group per kind of text, one colour per tokenizer.</summary>
    public static Figure Chart(IReadOnlyList<TokenStats> stats, Func<TokenStats, double> figure, string title)
    {
        var kinds = stats.Select(s => s.Kind).Distinct().ToList();
        var chart = new Figure(title).BarMode("group").Height(360);
        foreach (var g in stats.GroupBy(s => s.Tokenizer))
        {
            var byKind = g.ToDictionary(s => s.Kind);
            var values = kinds.Select(k => Math.Round(figure(byKind[k]), 2)).ToList();
            chart.Bar(kinds, values, g.Key, labels: values.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)));
        }
        return chart;
    }

    /// <summary>The measurements as a small HTML table (tokens, tokens/word, bytes/token).</summary>
    public static Html Table(IReadOnlyList<TokenStats> stats)
    {
        var kinds = stats.Select(s => s.Kind).Distinct().ToList();
        var html = new StringBuilder("<table style=\"border-collapse:collapse;font-size:13px\"><tr><th style=\"text-align:left;padding:2px 8px\">tokenizer</th>");
        foreach (var k in kinds) html.Append($"<th style=\"padding:2px 8px\">{System.Net.WebUtility.HtmlEncode(k)}</th>");
        html.Append("</tr>");
        var text = new StringBuilder("tokenizer".PadRight(28) + string.Concat(kinds.Select(k => k.PadLeft(10))) + "   (tokens, tokens/word)\n");
        foreach (var g in stats.GroupBy(s => s.Tokenizer))
        {
            html.Append($"<tr><td style=\"padding:2px 8px\">{System.Net.WebUtility.HtmlEncode(g.Key)}</td>");
            text.Append(g.Key.PadRight(28));
            foreach (var s in g)
            {
                html.Append($"<td style=\"text-align:right;padding:2px 8px\">{s.Tokens} <span style=\"color:#888\">({s.TokensPerWord.ToString("F2", CultureInfo.InvariantCulture)}/word)</span></td>");
                text.Append(s.Tokens.ToString(CultureInfo.InvariantCulture).PadLeft(10));
            }
            html.Append("</tr>");
            text.Append('\n');
        }
        return new Html(html.Append("</table>").ToString(), text.ToString().TrimEnd());
    }

}
