using System.Diagnostics;

namespace LlmCourse.Data;

/// <summary>The pipeline's settings; the defaults are FineWeb's where FineWeb has one.</summary>
public sealed record PipelineConfig(string Language = "en", double MinLanguageScore = 0.65,
    QualityConfig? Quality = null, DedupConfig? Dedup = null, int ChunkSize = 1024, int Threads = 0);

/// <summary>One page walked through every per-page stage, for showing the steps (dedup needs the whole crawl, so it is not here).</summary>
public sealed record PageTrace(CrawlPage Page, UrlVerdict Url, ExtractedPage? Extracted, LanguageGuess? Language,
    QualityVerdict? Quality, PiiResult? Pii, CorpusRow? Row, string? DroppedAt, string? Reason)
{
    public bool Kept => Row != null;

    // The seed's steps, one view each, so a notebook cell reads like the slide it illustrates.
    public Visuals.RenderedPage Rendered(int height = 380) => new(Page, height);
    public Visuals.RawHtmlView RawHtml(int maxChars = 6000) => new(Page.Html, maxChars);
    public Visuals.ExtractedTextView Text() => new(Extracted ?? new ExtractedPage(null, null, "", "not reached"));
    public Visuals.VerdictsView Verdicts() => new(this);
    public Visuals.CorpusRowsView StoredRow() => new(Row is null ? [] : [Row], previewChars: 400);
}

/// <summary>
/// Common Crawl to FineWeb at toy scale: URL filter -> text extraction -> language filter -> quality
/// filter -> exact dedup -> near dedup (MinHash LSH) -> PII scrub -> corpus rows. Each stage is its own
/// class and usable alone; this composes them and keeps statistics for the funnel.
///
/// Pages flow through in chunks, so a crawl 16x the default size streams in bounded memory. Per-page
/// stages run in parallel with results kept in crawl order; dedup is sequential (first copy seen wins),
/// so the output is the same on 1 core or 8.
/// </summary>
public sealed class Pipeline(PipelineConfig? config = null)
{
    public PipelineConfig Config { get; } = config ?? new PipelineConfig();
    public UrlFilter UrlFilter { get; init; } = UrlFilter.Default;
    public LanguageIdentifier LanguageIdentifier { get; init; } = LanguageIdentifier.Default;
    public QualityFilter QualityFilter { get; init; } = new(config?.Quality);

    public static readonly IReadOnlyList<string> StageNames =
        ["URL filter", "text extraction", "language", "quality", "exact dedup", "near dedup", "PII scrub"];

    /// <summary>The whole pipeline over a crawl, in one line: <c>new Pipeline().Run(crawl)</c>.</summary>
    /// <param name="progress">Called after each chunk with the number of pages processed so far (for a live status line).</param>
    public PipelineResult Run(Crawl crawl, Action<int>? progress = null) => Run(crawl.Pages, progress);

    public PipelineResult Run(IEnumerable<CrawlPage> pages, Action<int>? progress = null)
    {
        var total = Stopwatch.StartNew();
        var acc = StageNames.Select(n => new StageAccumulator(n)).ToArray();
        var dedup = new Deduplicator(Config.Dedup);
        var rows = new List<CorpusRow>();
        var dropped = new List<DroppedPage>();
        var pairs = new List<DuplicatePair>();
        var pii = new List<PiiExample>();
        int pagesIn = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Config.Threads > 0 ? Config.Threads : Environment.ProcessorCount };

        foreach (var chunk in pages.Chunk(Config.ChunkSize))
        {
            pagesIn += chunk.Length;
            var alive = new List<int>(chunk.Length);
            void Drop(StageAccumulator a, int i, string reason)
            {
                a.Reasons[reason] = a.Reasons.GetValueOrDefault(reason) + 1;
                dropped.Add(new DroppedPage(chunk[i].Url, a.Name, reason, chunk[i].Kind));
            }

            // 1. URL filter (before fetching: decided from the URL alone).
            var sw = Stopwatch.StartNew();
            var a0 = acc[0];
            for (int i = 0; i < chunk.Length; i++)
            {
                a0.In(chunk[i].Html.Length);
                var v = UrlFilter.Check(chunk[i].Url);
                if (v.Keep) { alive.Add(i); a0.Out(chunk[i].Html.Length); } else Drop(a0, i, v.Reason!);
            }
            a0.Elapsed += sw.Elapsed;

            // 2. Text extraction (parallel: each page is independent).
            sw.Restart();
            var extracted = new ExtractedPage?[chunk.Length];
            Parallel.ForEach(alive, parallel, i => extracted[i] = SafeExtract(chunk[i].Html));
            alive = Keep(acc[1], alive, i => chunk[i].Html.Length, i => extracted[i]!.Text.Length, i => extracted[i]!.DropReason, Drop);
            acc[1].Elapsed += sw.Elapsed;

            // 3. Language.
            sw.Restart();
            var lang = new LanguageGuess?[chunk.Length];
            Parallel.ForEach(alive, parallel, i => lang[i] = LanguageIdentifier.Identify(extracted[i]!.Text));
            alive = Keep(acc[2], alive, i => extracted[i]!.Text.Length, i => extracted[i]!.Text.Length, i => LanguageReason(lang[i]!), Drop);
            acc[2].Elapsed += sw.Elapsed;

            // 4. Quality.
            sw.Restart();
            var quality = new QualityVerdict?[chunk.Length];
            Parallel.ForEach(alive, parallel, i => quality[i] = QualityFilter.Check(extracted[i]!.Text));
            alive = Keep(acc[3], alive, i => extracted[i]!.Text.Length, i => extracted[i]!.Text.Length, i => quality[i]!.Reason, Drop);
            acc[3].Elapsed += sw.Elapsed;

            // 5. Exact dedup (sequential: the first copy in crawl order is kept).
            sw.Restart();
            alive = Keep(acc[4], alive, i => extracted[i]!.Text.Length, i => extracted[i]!.Text.Length, i =>
            {
                var v = dedup.CheckExact(chunk[i].Url, extracted[i]!.Text);
                if (v.Pair != null) pairs.Add(v.Pair);
                return v.Reason;
            }, Drop);
            acc[4].Elapsed += sw.Elapsed;

            // 6. Near dedup: signatures in parallel, LSH lookups in order.
            sw.Restart();
            var sigs = new ulong[chunk.Length][];
            Parallel.ForEach(alive, parallel, i => sigs[i] = dedup.MinHash.Signature(extracted[i]!.Text));
            alive = Keep(acc[5], alive, i => extracted[i]!.Text.Length, i => extracted[i]!.Text.Length, i =>
            {
                var v = dedup.CheckNear(chunk[i].Url, sigs[i]);
                if (v.Pair != null) pairs.Add(v.Pair with { RemovedText = extracted[i]!.Text });
                return v.Reason;
            }, Drop);
            acc[5].Elapsed += sw.Elapsed;

            // 7. PII scrub (changes text, drops nothing).
            sw.Restart();
            var scrubbed = new PiiResult?[chunk.Length];
            Parallel.ForEach(alive, parallel, i => scrubbed[i] = PiiScrubber.Scrub(extracted[i]!.Text));
            foreach (var i in alive)
            {
                var r = scrubbed[i]!;
                acc[6].In(extracted[i]!.Text.Length);
                acc[6].Out(r.Text.Length);
                if (r.Changed) { acc[6].Modified++; pii.Add(new PiiExample(chunk[i].Url, extracted[i]!.Text, r.Text, r.Matches)); }
                rows.Add(ToRow(chunk[i], extracted[i]!, lang[i]!, r.Text));
            }
            acc[6].Elapsed += sw.Elapsed;
            progress?.Invoke(pagesIn);
        }
        return new PipelineResult(rows, acc.Select(a => a.ToStats()).ToList(), dropped, pairs, pii, pagesIn, total.Elapsed);
    }

    /// <summary>One page through every per-page stage, stopping where it is dropped: the seed's six steps for one page.</summary>
    public PageTrace Trace(CrawlPage page)
    {
        var url = UrlFilter.Check(page.Url);
        if (!url.Keep) return new PageTrace(page, url, null, null, null, null, null, "URL filter", url.Reason);
        var ex = SafeExtract(page.Html);
        if (!ex.Keep) return new PageTrace(page, url, ex, null, null, null, null, "text extraction", ex.DropReason);
        var lang = LanguageIdentifier.Identify(ex.Text);
        var lr = LanguageReason(lang);
        var q = QualityFilter.Check(ex.Text);
        if (lr != null) return new PageTrace(page, url, ex, lang, q, null, null, "language", lr);
        if (!q.Keep) return new PageTrace(page, url, ex, lang, q, null, null, "quality", q.Reason);
        var pii = PiiScrubber.Scrub(ex.Text);
        return new PageTrace(page, url, ex, lang, q, pii, ToRow(page, ex, lang, pii.Text), null, null);
    }

    string? LanguageReason(LanguageGuess g) =>
        g.Language != Config.Language ? $"not {Config.Language} ({g.Language})"
        : g.Score <= Config.MinLanguageScore ? $"{Config.Language} score <= {Config.MinLanguageScore}" : null;

    /// <summary>Extraction must never take the pipeline down: anything the parser throws becomes a drop reason.</summary>
    static ExtractedPage SafeExtract(string html)
    {
        try { return TextExtractor.Extract(html); }
        catch (Exception e) { return new ExtractedPage(null, null, "", $"extraction failed ({e.GetType().Name})"); }
    }

    static CorpusRow ToRow(CrawlPage page, ExtractedPage ex, LanguageGuess lang, string text) => new()
    {
        Url = page.Url, Title = ex.Title, Source = ex.Source, Text = text,
        Language = lang.Language, LanguageScore = Math.Round(lang.Score, 4),
    };

    static List<int> Keep(StageAccumulator a, List<int> alive, Func<int, long> charsIn, Func<int, long> charsOut, Func<int, string?> reason, Action<StageAccumulator, int, string> drop)
    {
        var next = new List<int>(alive.Count);
        foreach (var i in alive)
        {
            a.In(charsIn(i));
            var r = reason(i);
            if (r == null) { next.Add(i); a.Out(charsOut(i)); }
            else drop(a, i, r);
        }
        return next;
    }

    sealed class StageAccumulator(string name)
    {
        public string Name { get; } = name;
        public int PagesIn, PagesOut, Modified;
        public long CharsIn, CharsOut;
        public TimeSpan Elapsed;
        public readonly Dictionary<string, int> Reasons = new(StringComparer.Ordinal);
        public void In(long chars) { PagesIn++; CharsIn += chars; }
        public void Out(long chars) { PagesOut++; CharsOut += chars; }
        public StageStats ToStats() => new(Name, PagesIn, PagesOut, CharsIn, CharsOut, Modified, Elapsed,
            Reasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value));
    }
}
