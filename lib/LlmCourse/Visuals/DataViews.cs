using System.Globalization;
using System.Text;
using LlmCourse.Data;

namespace LlmCourse.Visuals;

/// <summary>Shared bits of the data views: a small table builder and the course's muted styles.</summary>
static class DataHtml
{
    public const string Box = "border:1px solid #ddd;border-radius:6px;padding:10px;margin:4px 0;background:#fff;color:#222;";
    public const string Pre = "white-space:pre-wrap;font-family:ui-monospace,Consolas,monospace;font-size:12px;line-height:1.45;margin:0;";
    public const string Cell = "padding:3px 10px 3px 0;text-align:left;vertical-align:top;border-bottom:1px solid #eee;";

    public static string E(string? s) => System.Net.WebUtility.HtmlEncode(s ?? "");

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, bool rawCells = false)
    {
        var sb = new StringBuilder("<table style=\"border-collapse:collapse;font-size:13px\"><thead><tr>");
        foreach (var h in headers) sb.Append("<th style=\"").Append(Cell).Append("\">").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append("<td style=\"").Append(Cell).Append("\">").Append(rawCells ? c : E(c)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    public static string Num(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A long table folded away under a one-line summary; a click unfolds it (no script needed).</summary>
    public static string Folded(string summary, string html) =>
        $"<details><summary style=\"cursor:pointer\">{E(summary)} <span style=\"color:#888\">(click to unfold)</span></summary>{html}</details>";
}

/// <summary>Step 2: the page as a browser shows it — its HTML in a sandboxed iframe (no scripts run).</summary>
public sealed class RenderedPage(CrawlPage page, int height = 380) : HtmlView
{
    public override string ToHtml() =>
        $"<div style=\"font-size:12px;color:#666;margin-bottom:2px\">URL: {DataHtml.E(page.Url)}</div>" +
        $"<iframe sandbox=\"\" srcdoc=\"{DataHtml.E(page.Html)}\" style=\"width:100%;height:{height}px;border:1px solid #ccc;border-radius:6px;background:#fff\"></iframe>";
    public override string ToText() => $"[rendered page {page.Url}]";
}

/// <summary>Step 3: the HTML the crawler downloaded, markup and all.</summary>
public sealed class RawHtmlView(string html, int maxChars = 6000, int height = 360) : HtmlView
{
    public override string ToHtml()
    {
        var shown = html.Length > maxChars ? html[..maxChars] : html;
        var note = html.Length > maxChars ? $"\n… ({html.Length - maxChars:N0} more characters)" : "";
        return $"<div style=\"{DataHtml.Box}max-height:{height}px;overflow:auto;background:#fafafa\"><pre style=\"{DataHtml.Pre}\">{DataHtml.E(shown + note)}</pre></div>" +
               $"<div style=\"font-size:12px;color:#666\">{html.Length:N0} characters of HTML</div>";
    }
    public override string ToText() => html.Length > maxChars ? html[..maxChars] + "…" : html;
}

/// <summary>Step 4: what the extractor kept — title, byline and text with its paragraph breaks.</summary>
public sealed class ExtractedTextView(ExtractedPage page) : HtmlView
{
    public override string ToHtml() => !page.Keep
        ? $"<div style=\"{DataHtml.Box}color:#b00\">dropped at extraction: {DataHtml.E(page.DropReason)}</div>"
        : $"<div style=\"{DataHtml.Box}\"><div style=\"font-weight:bold;font-size:15px\">{DataHtml.E(page.Title)}</div>" +
          (page.Source != null ? $"<div style=\"font-style:italic;color:#666;font-size:12px;margin-bottom:6px\">{DataHtml.E(page.Source)}</div>" : "") +
          $"<pre style=\"{DataHtml.Pre}font-family:Georgia,serif;font-size:13px\">{DataHtml.E(page.Text)}</pre></div>" +
          $"<div style=\"font-size:12px;color:#666\">{page.Text.Length:N0} characters of text</div>";
    public override string ToText() => page.ToString();
}

/// <summary>Step 5: every filter's verdict on one page — URL, language with its score, each quality check.</summary>
public sealed class VerdictsView(PageTrace trace) : HtmlView
{
    static string Mark(bool ok) => ok ? "<span style=\"color:#080\">✔ pass</span>" : "<span style=\"color:#b00\">✘ drop</span>";

    public override string ToHtml()
    {
        var rows = new List<IEnumerable<string>>
        {
            new[] { "URL filter", trace.Url.Keep ? "domain and path look fine" : DataHtml.E(trace.Url.Reason), Mark(trace.Url.Keep), "blocklist + rules" },
        };
        if (trace.Extracted is { } ex)
            rows.Add([ "text extraction", ex.Keep ? $"{ex.Text.Length:N0} chars of text from {trace.Page.Html.Length:N0} chars of HTML" : DataHtml.E(ex.DropReason), Mark(ex.Keep), ""]);
        if (trace.Language is { } lang)
        {
            var top = string.Join(", ", lang.Scores.OrderByDescending(kv => kv.Value).Take(3).Select(kv => $"{kv.Key} {DataHtml.Num(kv.Value, "0.00")}"));
            rows.Add([ "language", $"classifier scores {DataHtml.E(top)} (keep: English score &gt; 0.65)", Mark(trace.DroppedAt != "language"), "FineWeb"]);
        }
        if (trace.Quality is { } q)
            foreach (var c in q.Checks)
                rows.Add([ "quality: " + DataHtml.E(c.Name), $"{DataHtml.Num(c.Value)} (keep if {DataHtml.E(c.Rule)})", Mark(c.Passed), DataHtml.E(c.Source)]);
        if (trace.Pii is { } pii)
            rows.Add([ "PII scrub", pii.Changed ? DataHtml.E(string.Join(", ", pii.Matches.Select(m => $"{m.Kind}: {m.Original}"))) : "nothing found", "<span style=\"color:#080\">✔ kept</span>", ""]);
        var verdict = trace.Kept ? "<b style=\"color:#080\">kept</b> (dedup runs over the whole crawl, below)" : $"<b style=\"color:#b00\">dropped</b> at {DataHtml.E(trace.DroppedAt)}: {DataHtml.E(trace.Reason)}";
        return DataHtml.Table(["stage", "measured", "verdict", "rule from"], rows, rawCells: true) + $"<div style=\"margin-top:6px\">{verdict}</div>";
    }

    public override string ToText() => trace.Kept ? "kept" : $"dropped at {trace.DroppedAt}: {trace.Reason}";
}

/// <summary>Step 6 and the Parquet peek: corpus rows as a table, long text cut to a preview.</summary>
public sealed class CorpusRowsView(IEnumerable<CorpusRow> rows, int previewChars = 160) : HtmlView
{
    readonly List<CorpusRow> list = rows.ToList();

    public override string ToHtml() => DataHtml.Table(["url", "title", "source", "text", "language", "language_score", "token_count"],
        list.Select(r => new[]
        {
            r.Url, r.Title ?? "", r.Source ?? "",
            r.Text.Length > previewChars ? r.Text[..previewChars].Replace('\n', ' ') + "…" : r.Text.Replace('\n', ' '),
            r.Language, DataHtml.Num(r.LanguageScore, "0.000"), r.TokenCount?.ToString(CultureInfo.InvariantCulture) ?? "null",
        }));

    public override string ToText() => string.Join("\n", list.Select(r => r.ToString()));
}

/// <summary>The stage table: pages and characters in and out of every stage, and time.</summary>
public sealed class StageTableView(PipelineResult result) : HtmlView
{
    public override string ToHtml() =>
        $"<div style=\"margin-bottom:4px\">{result.PagesIn:N0} pages in → <b>{result.Rows.Count:N0} documents</b> ({result.CorpusChars:N0} characters) in {result.Elapsed.TotalSeconds:0.0} s</div>" +
        DataHtml.Table(["stage", "pages in", "pages out", "dropped", "chars in", "chars out", "changed", "pages/s"],
            result.Stages.Select(s => new[]
            {
                s.Stage, s.PagesIn.ToString("N0", CultureInfo.InvariantCulture), s.PagesOut.ToString("N0", CultureInfo.InvariantCulture),
                s.Dropped.ToString("N0", CultureInfo.InvariantCulture), s.CharsIn.ToString("N0", CultureInfo.InvariantCulture),
                s.CharsOut.ToString("N0", CultureInfo.InvariantCulture), s.Modified.ToString("N0", CultureInfo.InvariantCulture),
                double.IsInfinity(s.PagesPerSecond) ? "—" : s.PagesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            }));

    public override string ToText() => result.ToString();
}

/// <summary>Why pages were dropped, stage by stage, with an example URL for each reason.</summary>
public sealed class DropReasonsView(PipelineResult result) : HtmlView
{
    public override string ToHtml() => DataHtml.Folded(
        $"{result.Dropped.Count:N0} pages dropped for {result.DropReasons.Count} reasons; the biggest: " +
        string.Join(", ", result.DropReasons.Take(3).Select(d => $"{d.Reason} ({d.Pages})")),
        DataHtml.Table(["stage", "reason", "pages", "example"],
        result.DropReasons.Select(d => new[]
        {
            d.Stage, d.Reason, d.Pages.ToString(CultureInfo.InvariantCulture),
            result.Dropped.FirstOrDefault(p => p.Stage == d.Stage && p.Reason == d.Reason)?.Url ?? "",
        })));

    public override string ToText() => string.Join("\n", result.DropReasons.Select(d => $"{d.Stage}: {d.Reason} = {d.Pages}"));
}

/// <summary>A removed copy next to the page it copies, with the sentences that differ highlighted.</summary>
public sealed class NearDuplicateView(DuplicatePair pair, string keptText, string removedText, double exactJaccard) : HtmlView
{
    static List<string> Sentences(string text) =>
        text.Replace("\n", " \n ").Split(". ").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    static string Side(string title, string url, string text, HashSet<string> other, string color)
    {
        var sb = new StringBuilder($"<div style=\"flex:1;min-width:0;{DataHtml.Box}\"><div style=\"font-weight:bold\">{title}</div><div style=\"font-size:11px;color:#666;margin-bottom:6px;word-break:break-all\">{DataHtml.E(url)}</div><div style=\"font-family:Georgia,serif;font-size:13px\">");
        foreach (var s in Sentences(text))
        {
            var e = DataHtml.E(s.EndsWith('.') ? s : s + ".");
            sb.Append(other.Contains(s) ? e : $"<mark style=\"background:{color}\">{e}</mark>").Append(' ');
        }
        return sb.Append("</div></div>").ToString();
    }

    public override string ToHtml()
    {
        var a = Sentences(keptText).ToHashSet();
        var b = Sentences(removedText).ToHashSet();
        return $"<div>Estimated Jaccard similarity (MinHash, 5-word shingles): <b>{DataHtml.Num(pair.EstimatedJaccard, "0.00")}</b>; exact: {DataHtml.Num(exactJaccard, "0.00")}. Highlighted: sentences only on one side.</div>" +
               "<div style=\"display:flex;gap:10px\">" + Side("kept (seen first)", pair.KeptUrl, keptText, b, "#cfe8ff") + Side("removed (near duplicate)", pair.RemovedUrl, removedText, a, "#ffd6d6") + "</div>";
    }

    public override string ToText() => $"{pair.KeptUrl} ~ {pair.RemovedUrl}: estimated Jaccard {pair.EstimatedJaccard:0.00}";
}

/// <summary>Personal data before and after the scrubber, showing only the paragraphs that changed.</summary>
public sealed class PiiView(PiiExample example) : HtmlView
{
    public override string ToHtml()
    {
        var before = example.Before.Split("\n\n");
        var after = example.After.Split("\n\n");
        var sb = new StringBuilder($"<div style=\"font-size:12px;color:#666\">{DataHtml.E(example.Url)}</div><div style=\"display:flex;gap:10px\">");
        string Mark(string text, IEnumerable<string> needles, string color)
        {
            var html = DataHtml.E(text);
            foreach (var n in needles.Distinct()) html = html.Replace(DataHtml.E(n), $"<mark style=\"background:{color}\">{DataHtml.E(n)}</mark>");
            return html;
        }
        var changed = Enumerable.Range(0, Math.Min(before.Length, after.Length)).Where(i => before[i] != after[i]).ToList();
        sb.Append($"<div style=\"flex:1;{DataHtml.Box}\"><b>before</b><br>");
        foreach (var i in changed) sb.Append("<p>").Append(Mark(before[i], example.Matches.Select(m => m.Original), "#ffd6d6")).Append("</p>");
        sb.Append($"</div><div style=\"flex:1;{DataHtml.Box}\"><b>after</b><br>");
        foreach (var i in changed) sb.Append("<p>").Append(Mark(after[i], [PiiScrubber.EmailPlaceholder, PiiScrubber.PhonePlaceholder, PiiScrubber.IpPlaceholder], "#d6f5d6")).Append("</p>");
        return sb.Append("</div></div>").ToString();
    }

    public override string ToText() => string.Join("\n", example.Matches.Select(m => $"{m.Kind}: {m.Original}"));
}

/// <summary>"The corpus as one long text": documents run together in one scrolling box, as the talk shows them.</summary>
public sealed class LongTextView(string text, int height = 420) : HtmlView
{
    public override string ToHtml() =>
        $"<div style=\"{DataHtml.Box}max-height:{height}px;overflow:auto\"><pre style=\"{DataHtml.Pre}font-size:11px\">{DataHtml.E(text)}</pre></div>" +
        $"<div style=\"font-size:12px;color:#666\">{text.Length:N0} characters</div>";
    public override string ToText() => text.Length > 2000 ? text[..2000] + "…" : text;
}

/// <summary>Ground truth against the filters: for each kind of generated page, how many were kept and where the rest were dropped.</summary>
public sealed class OutcomesView(PipelineResult result, Crawl crawl) : HtmlView
{
    public override string ToHtml()
    {
        var outcomes = result.OutcomesByKind(crawl);
        var stages = Pipeline.StageNames.Where(s => outcomes.Any(o => o.Outcome.StartsWith(s + ":", StringComparison.Ordinal))).ToList();
        var rows = outcomes.GroupBy(o => o.Kind).Select(g => new[] { g.Key.ToString(), g.Sum(o => o.Pages).ToString(CultureInfo.InvariantCulture), g.Where(o => o.Outcome == "kept").Sum(o => o.Pages).ToString(CultureInfo.InvariantCulture) }
            .Concat(stages.Select(s => g.Where(o => o.Outcome.StartsWith(s + ":", StringComparison.Ordinal)).Sum(o => o.Pages) is var n && n > 0 ? n.ToString(CultureInfo.InvariantCulture) : "")));
        var junk = outcomes.Where(o => o.Kind is PageKind.Spam or PageKind.Blocklisted or PageKind.BadUrl or PageKind.Foreign && o.Outcome == "kept").Sum(o => o.Pages);
        return DataHtml.Folded($"{outcomes.Select(o => o.Kind).Distinct().Count()} kinds of page against where they ended; spam, blocked, bad-URL or foreign pages kept: {junk}",
            DataHtml.Table(new[] { "generated as", "pages", "kept" }.Concat(stages.Select(s => "dropped: " + s)), rows));
    }

    public override string ToText() => string.Join("\n", result.OutcomesByKind(crawl).Select(o => $"{o.Kind} {o.Outcome} {o.Pages}"));
}

/// <summary>Charts for the data part.</summary>
public static class DataCharts
{
    /// <summary>Pages surviving each stage, from the whole crawl down to the corpus.</summary>
    public static Figure Funnel(PipelineResult result) =>
        new Figure("Pages through the pipeline")
            .Funnel(new[] { "crawl" }.Concat(result.Stages.Where(s => s.Dropped > 0 || s.Stage != "PII scrub").Select(s => "after " + s.Stage)),
                    new[] { result.PagesIn }.Concat(result.Stages.Where(s => s.Dropped > 0 || s.Stage != "PII scrub").Select(s => s.PagesOut)))
            .Height(380);

    /// <summary>How many facts the corpus states how often: the spread later parts measure recall against.</summary>
    public static Figure FactFrequency(IEnumerable<FactCount> facts)
    {
        var list = facts.ToList();
        var buckets = FactWorld.Buckets.Select(b => b.Label).ToList();
        // "×" keeps plotly from reading "0", "1", "2" as numbers on a linear axis.
        var labels = buckets.Select(b => b + "×").ToList();
        var fig = new Figure("Facts by number of mentions in the corpus");
        foreach (var relation in list.Select(f => f.Fact.Relation).Distinct())
            fig.Bar(labels, buckets.Select(l => list.Count(f => f.Bucket == l && f.Fact.Relation == relation)), relation);
        return fig.BarMode("stack").XAxis("mentions of the fact in the corpus").YAxis("facts").Height(340);
    }
}
