using System.Text;
using LlmCourse.Visuals;

namespace LlmCourse.Chat;

/// <summary>
/// Conversations with a tool-using assistant, event by event: the user's question, each tool call the model wrote,
/// each result the harness put back into the context, and the model's words. Nothing is hidden.
/// </summary>
public sealed class ToolTrace : HtmlView
{
    readonly IReadOnlyList<(string Question, IReadOnlyList<ReplyEvent> Events)> conversations;

    ToolTrace(IReadOnlyList<(string, IReadOnlyList<ReplyEvent>)> conversations) => this.conversations = conversations;

    /// <summary>Asks each question in a fresh conversation (greedy) and records what happened.</summary>
    public static ToolTrace Of(ChatAssistant assistant, params string[] questions) =>
        new(questions.Select(q => (q, (IReadOnlyList<ReplyEvent>)new ChatSession(assistant).Stream(q).ToList())).ToList());

    static IEnumerable<(string Who, string Text)> Lines(string question, IEnumerable<ReplyEvent> events)
    {
        yield return ("user", question);
        var text = new StringBuilder();
        foreach (var e in events)
        {
            switch (e)
            {
                case TextPiece t: text.Append(t.Text); break;
                case ToolCalled c:
                    if (text.Length > 0) { yield return ("assistant", text.ToString()); text.Clear(); }
                    yield return ("tool call (written by the model)", c.Call);
                    break;
                case ToolAnswered a: yield return ("tool result (written by the harness)", a.Result); break;
                case HarnessNote n:
                    if (text.Length > 0) { yield return ("assistant", text.ToString()); text.Clear(); }
                    yield return ("note (from the harness)", n.Text);
                    break;
            }
        }
        if (text.Length > 0) yield return ("assistant", text.ToString());
    }

    public override string ToHtml()
    {
        var html = new StringBuilder();
        foreach (var (question, events) in conversations)
        {
            html.Append("<div style=\"border:1px solid #ddd;border-radius:6px;padding:8px;margin:6px 0;font-size:13px\">");
            foreach (var (who, text) in Lines(question, events))
            {
                var style = who switch
                {
                    "user" => "background:#eef",
                    "assistant" => "background:#efe",
                    _ when who.StartsWith("tool call", StringComparison.Ordinal) => "background:#ffe9c6;font-family:ui-monospace,monospace",
                    _ => "background:#f3f3f3;font-family:ui-monospace,monospace",
                };
                html.Append($"<div style=\"{style};padding:3px 6px;margin:2px 0;border-radius:3px;white-space:pre-wrap\"><b>{Escape(who)}:</b> {Escape(text)}</div>");
            }
            html.Append("</div>");
        }
        return html.ToString();
    }

    public override string ToText() =>
        string.Join("\n\n", conversations.Select(c => string.Join("\n", Lines(c.Question, c.Events).Select(l => $"{l.Who}: {l.Text}"))));
}
