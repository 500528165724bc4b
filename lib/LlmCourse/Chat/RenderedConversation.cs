using System.Globalization;
using System.Text;
using LlmCourse.Visuals;

namespace LlmCourse.Chat;

/// <summary>
/// A conversation as the model reads it: one token sequence, and for each token whether the loss trains it.
/// Shown as a token viewer in which the trained tokens are coloured and the masked ones grey.
/// </summary>
public sealed class RenderedConversation(IReadOnlyList<int> tokens, IReadOnlyList<bool> trained, ChatTemplate template) : HtmlView
{
    public IReadOnlyList<int> Tokens { get; } = tokens;

    /// <summary>The loss mask: true where the model learns to write the token (the assistant's), false where it only reads.</summary>
    public IReadOnlyList<bool> Trained { get; } = trained;

    public int TrainedCount => Trained.Count(t => t);

    public override string ToHtml()
    {
        var html = new StringBuilder();
        html.Append(
            $"<div style=\"font-size:13px;margin-bottom:4px\"><b>{Tokens.Count} tokens</b>, {TrainedCount} trained " +
            "(<span style=\"background:rgba(104,222,122,.45);padding:0 3px\">coloured</span>: the loss trains the model to write them; " +
            "<span style=\"background:#eee;color:#999;padding:0 3px\">grey</span>: read, never trained)</div>");
        html.Append("<div style=\"line-height:1.1;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px\">");
        for (var i = 0; i < Tokens.Count; i++)
        {
            var id = Tokens[i];
            var special = template.Tokenizer.SpecialTokens.Values.Contains(id);
            var label = special ? template.Tokenizer.Decode([id]) : template.Tokenizer.Decode([id]).Replace(" ", "·").Replace("\n", "↵");
            var style = Trained[i] ? "background:rgba(104,222,122,.45);color:#111" : "background:#eee;color:#999";
            html.Append(CultureInfo.InvariantCulture,
                $"<span title=\"id {id}{(Trained[i] ? ", trained" : ", masked")}\" style=\"display:inline-flex;flex-direction:column;align-items:center;{style};" +
                $"border-radius:3px;margin:0 1px 4px 0;padding:1px 2px 0 2px;vertical-align:top{(special ? ";font-weight:bold" : "")}\">" +
                $"<span style=\"white-space:pre\">{Escape(label)}</span><span style=\"font-size:9px\">{id}</span></span>");
            if (id == template.EndId) html.Append("<br>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>The tokens with masked ones in [brackets]: "[<|user|>][What][ is]…[<|end|>][<|assistant|>]2+2 = 4.<|end|>".</summary>
    public override string ToText()
    {
        var text = new StringBuilder($"{Tokens.Count} tokens, {TrainedCount} trained ([masked]):\n");
        for (var i = 0; i < Tokens.Count; i++)
        {
            var piece = template.Tokenizer.Decode([Tokens[i]]);
            text.Append(Trained[i] ? piece : $"[{piece}]");
        }
        return text.ToString();
    }
}
