using LlmCourse.Tokenization;
using System.Text;
using LlmCourse.Visuals;

namespace LlmCourse.Generation;

/// <summary>
/// The inference loop, step by step: context -> probability map -> chosen token -> appended to the
/// context -> next step. The slide's "Sampling Loop", with our model's real numbers.
/// </summary>
public sealed class SamplingTrace(string prompt, Sampling sampling, IReadOnlyList<SamplingStep> steps) : HtmlView
{
    public string Prompt { get; } = prompt;
    public Sampling Sampling { get; } = sampling;
    public IReadOnlyList<SamplingStep> Steps { get; } = steps;

    /// <summary>The prompt followed by every chosen token.</summary>
    public string Text => Prompt + string.Concat(Steps.Select(s => s.Chosen.Text));

    public override string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<div style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        html.Append($"<div style=\"margin-bottom:6px;color:#555\">Sampling: {Escape(Sampling.ToString())}</div>");
        html.Append("<table style=\"border-collapse:collapse\">");
        html.Append("<tr style=\"text-align:left;border-bottom:1px solid #ccc\"><th style=\"padding:4px 8px\">#</th><th style=\"padding:4px 8px\">context</th>" +
                    "<th style=\"padding:4px 8px\">probability map</th><th style=\"padding:4px 8px\">chosen</th></tr>");
        foreach (var step in Steps)
        {
            var context = step.Map.ContextText;
            var shown = context.Length > 60 ? "…" + context[^60..] : context;
            html.Append("<tr style=\"vertical-align:top;border-bottom:1px solid #eee\">");
            html.Append($"<td style=\"padding:4px 8px;color:#888\">{step.Number}</td>");
            html.Append($"<td style=\"padding:4px 8px;font-family:monospace;white-space:pre-wrap;max-width:320px\">{Escape(TokenText.Visible(shown))}</td>");
            html.Append($"<td style=\"padding:4px 8px\">{ProbabilityBars.Rows(step.Map.Top, highlight: step.Chosen.Id)}</td>");
            html.Append($"<td style=\"padding:4px 8px;font-family:monospace;white-space:pre;background:#fff3c4\">{Escape(TokenText.Quote(step.Chosen.Text))} " +
                        $"<span style=\"color:#888\">{ProbabilityMap.Percent(step.Chosen.Probability)}</span></td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
        html.Append($"<div style=\"margin-top:6px;font-family:monospace;white-space:pre-wrap\">{Escape(Prompt)}<b>{Escape(string.Concat(Steps.Select(s => s.Chosen.Text)))}</b></div>");
        html.Append("</div>");
        return html.ToString();
    }

    public override string ToText()
    {
        var text = new StringBuilder();
        foreach (var step in Steps)
        {
            text.Append($"{step.Number}. {TokenText.Quote(step.Map.ContextText)} -> ");
            text.Append(string.Join(", ", step.Map.Top.Select(t => $"{TokenText.Quote(t.Text)} {ProbabilityMap.Percent(t.Probability)}")));
            text.AppendLine($" => chose {TokenText.Quote(step.Chosen.Text)}");
        }
        return text.Append(Text).ToString();
    }
}
