using System.Globalization;
using System.Text;

namespace LlmCourse.Data;

/// <summary>What came out of the pipeline: the corpus rows, per-stage statistics, and the evidence (drops, duplicate pairs, scrubbed PII).</summary>
public sealed class PipelineResult(IReadOnlyList<CorpusRow> rows, IReadOnlyList<StageStats> stages, IReadOnlyList<DroppedPage> dropped,
    IReadOnlyList<DuplicatePair> duplicates, IReadOnlyList<PiiExample> pii, int pagesIn, TimeSpan elapsed)
{
    public IReadOnlyList<CorpusRow> Rows { get; } = rows;
    public IReadOnlyList<StageStats> Stages { get; } = stages;
    public IReadOnlyList<DroppedPage> Dropped { get; } = dropped;
    /// <summary>Every removed copy with the page it copies and the estimated Jaccard similarity (1.0 for exact copies).</summary>
    public IReadOnlyList<DuplicatePair> Duplicates { get; } = duplicates;
    public IReadOnlyList<PiiExample> PiiScrubbed { get; } = pii;
    public int PagesIn { get; } = pagesIn;
    public TimeSpan Elapsed { get; } = elapsed;

    public long CorpusChars => Rows.Sum(r => (long)r.Text.Length);

    public IEnumerable<DuplicatePair> NearDuplicates => Duplicates.Where(d => !d.Exact);

    /// <summary>How many pages each (stage, reason) dropped, biggest first.</summary>
    public IReadOnlyList<(string Stage, string Reason, int Pages)> DropReasons =>
        Stages.SelectMany(s => s.DropReasons.Select(kv => (s.Stage, kv.Key, kv.Value))).OrderByDescending(t => t.Value).ToList();

    /// <summary>Ground truth against the filters: for each kind of page the generator made, where its pages ended up.</summary>
    public IReadOnlyList<(PageKind Kind, string Outcome, int Pages)> OutcomesByKind(Crawl crawl)
    {
        var dropped = Dropped.ToDictionary(d => d.Url, d => $"{d.Stage}: {d.Reason}", StringComparer.Ordinal);
        return crawl.Pages.Select(p => (p.Kind, dropped.GetValueOrDefault(p.Url, "kept")))
            .GroupBy(t => t).Select(g => (g.Key.Kind, g.Key.Item2, g.Count()))
            .OrderBy(t => t.Kind).ThenByDescending(t => t.Item3).ToList();
    }

    /// <summary>"The corpus as one long text": the first n documents concatenated, as the talk shows its first 200 pages.</summary>
    public string AsOneText(int documents = 200) => string.Join("\n\n", Rows.Take(documents).Select(r => r.Text));

    public void WriteParquet(string path) => CorpusParquet.Write(Rows, path);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{PagesIn:N0} pages in, {Rows.Count:N0} documents out ({CorpusChars:N0} chars) in {Elapsed.TotalSeconds:0.0} s");
        foreach (var s in Stages) sb.AppendLine(s.ToString());
        return sb.ToString();
    }
}
