using System.Globalization;
using System.Text;
using LlmCourse.Visuals;

namespace LlmCourse.Data;

/// <summary>What came out of the pipeline: the corpus rows, per-stage statistics, and the evidence (drops, duplicate pairs, scrubbed PII).</summary>
public sealed class PipelineResult(IReadOnlyList<CorpusRow> rows, IReadOnlyList<StageStats> stages, IReadOnlyList<DroppedPage> dropped,
    IReadOnlyList<DuplicatePair> duplicates, IReadOnlyList<PiiExample> pii, int pagesIn, TimeSpan elapsed) : HtmlView
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

    /// <summary>
    /// Writes the corpus rows to Parquet. With a tokenizer, each row's token_count is filled (FineWeb counts
    /// tokens the same way, with its tokenizer); without one it stays null.
    /// </summary>
    public void WriteParquet(string path, Tokenization.ITokenizer? tokenizer = null) =>
        CorpusParquet.Write(tokenizer is null ? Rows : CorpusParquet.WithTokenCounts(Rows, tokenizer), path);

    // ---- what the notebook shows ------------------------------------------------------------------

    public override string ToHtml() => new StageTableView(this).ToHtml();
    public override string ToText() => ToString();

    /// <summary>Funnel chart: pages left after each stage.</summary>
    public Figure Funnel() => DataCharts.Funnel(this);

    /// <summary>Table of drop reasons, biggest first, with an example URL each.</summary>
    public DropReasonsView DropReasonTable() => new(this);

    /// <summary>The n-th near-duplicate pair side by side (the texts are the extracted ones, before PII scrubbing of the kept page).</summary>
    public NearDuplicateView NearDuplicateExample(int n = 0)
    {
        var pair = NearDuplicates.ElementAt(n);
        var kept = Rows.First(r => r.Url == pair.KeptUrl).Text;
        var removed = pair.RemovedText ?? "";
        return new NearDuplicateView(pair, kept, removed, new MinHash().Jaccard(kept, removed));
    }

    /// <summary>A page whose personal data was scrubbed, before and after: the n-th, or by default the first with more than one kind (an email and a phone, say).</summary>
    public PiiView PiiExample(int? n = null) =>
        new(n is int i ? PiiScrubbed[i] : PiiScrubbed.FirstOrDefault(p => p.Matches.Select(m => m.Kind).Distinct().Count() > 1) ?? PiiScrubbed[0]);

    /// <summary>Kinds of generated pages (ground truth) against where the pipeline kept or dropped them.</summary>
    public OutcomesView Outcomes(Crawl crawl) => new(this, crawl);

    /// <summary>A peek at corpus rows.</summary>
    public CorpusRowsView Peek(int rows = 5) => new(Rows.Take(rows));

    /// <summary>The first documents of the corpus run together, in a scrolling box.</summary>
    public LongTextView AsOneLongText(int documents = 200) => new(AsOneText(documents));

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{PagesIn:N0} pages in, {Rows.Count:N0} documents out ({CorpusChars:N0} chars) in {Elapsed.TotalSeconds:0.0} s");
        foreach (var s in Stages) sb.AppendLine(s.ToString());
        return sb.ToString();
    }
}
