using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmCourse.Notebooks.Export;

/// <summary>
/// The front page of a run (<c>artifacts/run/index.html</c>), the first page a newcomer opens after
/// <c>llmcourse run notebooks</c>: each notebook's part and title, linked to its page, with the table the terminal
/// prints (code cells that ran, time, status) and the kernel that ran them. Plain HTML and CSS, nothing to load.
/// </summary>
public static partial class FrontPage
{
    public static string Render(IReadOnlyList<NotebookRun> runs, string kernel)
    {
        var rows = new StringBuilder();
        foreach (var run in runs)
        {
            var file = Path.GetFileNameWithoutExtension(run.Path);
            var (part, title) = PartAndTitle(run);
            var ok = run.Cells.Count(c => c.Status == CellStatus.Succeeded);
            var status = run.Succeeded ? "<td class=\"ok\">ok</td>"
                : $"<td class=\"failed\" title=\"{E(run.FailureMessage ?? "")}\">{(run.LoadError is not null ? "not loaded" : "failed")}</td>";
            var name = run.Notebook is null ? E(title) : $"<a href=\"{E(file)}.html\">{E(title)}</a>";
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"part\">{E(part)}</td><td>{name}<div class=\"file\">{E(file)}.ipynb</div></td>" +
                        $"<td class=\"num\">{ok}/{run.Cells.Count}</td><td class=\"num\">{run.Elapsed.TotalSeconds:0.0} s</td>{status}</tr>\n");
        }
        var total = TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks));
        var failed = runs.Count(r => !r.Succeeded);
        var summary = failed == 0 ? $"All {runs.Count} notebooks ran top to bottom" : $"{failed} of {runs.Count} notebooks failed";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>LLMs from pre-training to production — the course's notebooks</title>
            <style>{Style}</style>
            </head>
            <body>
            <main>
            <h1>LLMs from pre-training to production</h1>
            <p>A hands-on course in C#: every stage of an LLM's pipeline, run for real at toy scale. Open a part to read
            it with the outputs of this run.</p>
            <table>
            <thead><tr><th>Part</th><th>Notebook</th><th>Code cells</th><th>Time</th><th>Status</th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            <p class="kernel">{E(summary)} in {total.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s. Kernel: {E(kernel)}.
            Made by <code>llmcourse run</code> on {DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}.</p>
            </main>
            </body>
            </html>

            """;
    }

    /// <summary>"00 · Setup check" (the notebook's first heading) gives part "0" and title "Setup check"; otherwise the file name.</summary>
    internal static (string Part, string Title) PartAndTitle(NotebookRun run)
    {
        var heading = run.Notebook is null ? "" : HtmlExporter.Heading(run.Notebook);
        if (NumberedHeading().Match(heading) is { Success: true } m)
            return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), m.Groups[2].Value.Trim());
        var file = Path.GetFileNameWithoutExtension(run.Path);
        var number = Regex.Match(file, @"^(\d+)-");
        return (number.Success ? int.Parse(number.Groups[1].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : "",
                heading.Length > 0 ? heading : file);
    }

    [GeneratedRegex(@"^(\d+)\s*[·.:\-–—]\s*(.+)$")]
    private static partial Regex NumberedHeading();

    static string E(string s) => WebUtility.HtmlEncode(s);

    const string Style = """
        body { margin: 0; background: #fafafa; color: #1f2328; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 880px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
        h1 { font-size: 28px; margin: 8px 0; }
        table { border-collapse: collapse; width: 100%; margin: 16px 0; }
        th, td { border-bottom: 1px solid #e5e7eb; padding: 8px 10px; text-align: left; vertical-align: top; }
        th { font-size: 13px; color: #57606a; font-weight: 600; }
        td.part { font-size: 22px; font-weight: 600; color: #57606a; width: 3em; text-align: center; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.ok { color: #1a7f37; font-weight: 600; } td.failed { color: #cf222e; font-weight: 600; }
        a { color: #0969da; text-decoration: none; font-weight: 600; } a:hover { text-decoration: underline; }
        .file { color: #8c959f; font-size: 12px; font-family: ui-monospace, Menlo, monospace; }
        .kernel { color: #57606a; font-size: 13px; }
        """;
}
