using LlmCourse.Tokenization;
using System.Net;
using System.Text;
using LlmCourse.Generation;

namespace LlmCourse.Visuals;

/// <summary>The probability map as the slides draw it: id, token, a bar and a percentage per row. Plain HTML, no script.</summary>
internal static class ProbabilityBars
{
    public static string Html(string context, IReadOnlyList<TokenProbability> top, int vocabulary)
    {
        var html = new StringBuilder();
        html.Append("<div style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        html.Append($"<div style=\"font-family:monospace;white-space:pre-wrap;margin-bottom:6px\">{E(TokenText.Visible(context))} <span style=\"color:#888\">→ ?</span></div>");
        html.Append(Rows(top, highlight: null));
        html.Append($"<div style=\"color:#888;margin-top:4px\">… one probability for each of the {vocabulary:N0} tokens; the top {top.Count} shown</div>");
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>The rows alone (used inside the sampling trace), the chosen token highlighted.</summary>
    public static string Rows(IReadOnlyList<TokenProbability> top, int? highlight)
    {
        var html = new StringBuilder("<table style=\"border-collapse:collapse\">");
        foreach (var t in top)
        {
            var width = Math.Max(1, (int)Math.Round(t.Probability * 200));
            var background = t.Id == highlight ? "background:#fff3c4;" : "";
            html.Append($"<tr style=\"{background}\">");
            html.Append($"<td style=\"padding:1px 6px;color:#888;text-align:right;font-family:monospace\">{t.Id}</td>");
            html.Append($"<td style=\"padding:1px 6px;font-family:monospace;white-space:pre\">{E(TokenText.Quote(t.Text))}</td>");
            html.Append($"<td style=\"padding:1px 6px\"><div style=\"width:{width}px;height:10px;background:#1f77b4\"></div></td>");
            html.Append($"<td style=\"padding:1px 6px;text-align:right\">{ProbabilityMap.Percent(t.Probability)}</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    static string E(string text) => WebUtility.HtmlEncode(text);
}
