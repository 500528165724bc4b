using System.Net;
using System.Text;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Kernel;
using Markdig;

namespace LlmCourse.Notebooks.Export;

/// <summary>
/// Script or style a page needs when an output uses it, e.g. plotly.js for charts: included once, in the
/// page head, when any HTML output contains <see cref="Marker"/>. Lets the page work offline.
/// </summary>
public sealed record PageAsset(string Marker, string HeadHtml);

/// <summary>
/// Renders a notebook with its outputs as one self-contained HTML page: markdown through Markdig, code
/// as source, HTML outputs kept live (charts and viewers work), text outputs as preformatted text.
/// </summary>
public sealed class HtmlExporter(IReadOnlyList<PageAsset>? assets = null)
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public string Export(Notebook notebook)
    {
        var body = new StringBuilder();
        var htmlOutputs = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            if (cell.IsMarkdown)
            {
                body.Append("<section class=\"md\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
                continue;
            }
            if (!cell.IsCode) continue;

            var count = notebook.ExecutionCountOf(cell);
            var seconds = notebook.ElapsedSecondsOf(cell);
            body.Append("<section class=\"code\"><div class=\"prompt\">In&nbsp;[").Append(count?.ToString() ?? "&nbsp;").Append("]</div>");
            if (seconds is double s) body.Append("<div class=\"time\">").Append(FormatSeconds(s)).Append("</div>");
            body.Append("<pre class=\"source\"><code>").Append(E(cell.Source)).Append("</code></pre>");
            foreach (var output in notebook.OutputsOf(cell))
            {
                var html = Render(output);
                body.Append("<div class=\"output\">").Append(html).Append("</div>");
                if (output is DisplayOutput { Html: { } h }) htmlOutputs.Append(h);
            }
            body.Append("</section>\n");
        }

        var outputsText = htmlOutputs.ToString();
        var head = string.Concat((assets ?? []).Where(a => outputsText.Contains(a.Marker, StringComparison.Ordinal)).Select(a => a.HeadHtml));
        var title = Heading(notebook) is { Length: > 0 } t ? t : Path.GetFileNameWithoutExtension(notebook.Path);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <style>{Style}</style>
            {head}
            </head>
            <body>
            <main>
            <p class="file">{E(notebook.Name)}</p>
            {body}
            </main>
            </body>
            </html>

            """;
    }

    static string Render(CellOutput output) => output switch
    {
        DisplayOutput { Html: { } html } => html,
        DisplayOutput d when d.Data.TryGetValue("image/png", out var png) => $"<img alt=\"output\" src=\"data:image/png;base64,{png.Trim()}\">",
        DisplayOutput d when d.Data.TryGetValue("image/svg+xml", out var svg) => svg,
        DisplayOutput d => $"<pre>{E(d.Text ?? string.Join("\n", d.Data.Values))}</pre>",
        StreamOutput s => $"<pre class=\"{s.Name}\">{E(s.Text)}</pre>",
        ErrorOutput e => $"<pre class=\"error\">{E(string.Join("\n", e.Traceback.DefaultIfEmpty($"{e.Name}: {e.Message}")))}</pre>",
        _ => "",
    };

    static string FormatSeconds(double s) => s < 1 ? $"{s * 1000:0} ms" : $"{s:0.0} s";

    /// <summary>The notebook's first heading, without its '#'s: the first line of its first markdown cell ("" if none).</summary>
    internal static string Heading(Notebook notebook) =>
        notebook.Cells.FirstOrDefault(c => c.IsMarkdown)?.Source.Split('\n')[0].TrimStart('#', ' ').Trim() ?? "";

    static string E(string s) => WebUtility.HtmlEncode(s);

    const string Style = """
        body { margin: 0; background: #fafafa; color: #1f2328; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
        .file { color: #8c959f; font-size: 13px; margin: 0 0 8px; }
        section.md h1 { font-size: 30px; margin-top: 8px; } section.md h2 { margin-top: 36px; border-bottom: 1px solid #eee; }
        section.md code { background: #f3f4f6; padding: 1px 4px; border-radius: 4px; }
        section.md table { border-collapse: collapse; } section.md td, section.md th { border: 1px solid #ddd; padding: 4px 8px; }
        section.code { position: relative; margin: 14px 0 20px; }
        .prompt { position: absolute; left: -64px; width: 58px; text-align: right; color: #8c959f; font: 12px monospace; top: 10px; }
        .time { position: absolute; right: 8px; top: 6px; color: #8c959f; font-size: 12px; }
        pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, "Cascadia Code", Menlo, monospace; }
        pre.source { background: #f6f8fa; border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px 12px; }
        .output { padding: 8px 12px 0; overflow-x: auto; overflow-y: hidden; }
        .output table { border-collapse: collapse; font-size: 13px; } .output td, .output th { border: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; }
        pre.stderr { color: #9a6700; } pre.error { color: #cf222e; background: #fff5f5; padding: 8px; border-radius: 6px; }
        """;
}
