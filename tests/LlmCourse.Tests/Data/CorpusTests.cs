using System.Text.RegularExpressions;
using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

/// <summary>The default crawl end to end: its shape, determinism, the shipped files, the facts, dedup and PII over the real corpus.</summary>
[Collection("default crawl")]
public class CorpusTests(DefaultCrawlFixture fx)
{
    [Fact]
    public void The_crawl_has_every_kind_of_page_the_course_needs()
    {
        Assert.True(fx.Crawl.Count >= 3000, $"{fx.Crawl.Count} pages");
        foreach (var kind in Enum.GetValues<PageKind>()) Assert.True(fx.Crawl.KindCounts.GetValueOrDefault(kind) > 0, kind.ToString());
        var langs = fx.Crawl.Pages.Where(p => p.Kind == PageKind.Foreign).Select(p => Regex.Match(p.Html, "<html lang=\"(..)\"").Groups[1].Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "fr", "de", "es" }, langs);
        Assert.Equal(Crawl.SeedTravelUrl, fx.Crawl[0].Url);
        Assert.Contains("<nav>", fx.Crawl.SeedTravelPage.Html);
        Assert.Contains("cookie", fx.Crawl.SeedTravelPage.Html);
    }

    [Fact]
    public void The_same_seed_gives_a_byte_identical_crawl_and_another_seed_does_not()
    {
        Assert.Equal(fx.Crawl.Fingerprint(), Crawl.Generate(CorpusBuild.DefaultSeed).Fingerprint());
        Assert.NotEqual(fx.Crawl.Fingerprint(), Crawl.Generate(2).Fingerprint());
    }

    [Fact]
    public void Regenerating_reproduces_the_committed_data_files_byte_for_byte()
    {
        using var tmp = TestPaths.NewTempFolder();
        CorpusBuild.WriteFiles(fx.Output, tmp.Path);
        foreach (var name in CorpusBuild.FileNames)
            Assert.True(File.ReadAllBytes(TestPaths.InRepository("data", name)).SequenceEqual(File.ReadAllBytes(tmp.File(name))),
                $"data/{name} differs from what `./llmcourse data generate` produces now; regenerate and commit it");
    }

    [Fact]
    public void Running_the_pipeline_again_gives_the_same_corpus_bytes()
    {
        var again = new Pipeline(new PipelineConfig(Threads: 1, ChunkSize: 300)).Run(fx.Crawl);
        Assert.Equal(CorpusParquet.ToBytes(fx.Result.Rows), CorpusParquet.ToBytes(again.Rows));
    }

    [Fact]
    public void The_corpus_is_a_few_tens_of_megabytes_of_english_and_every_stage_dropped_something()
    {
        // About 6M tokens of the course tokenizer: the shipped base model trains on 12-15M, so it sees most text about twice.
        Assert.InRange(fx.Result.CorpusChars, 20_000_000, 35_000_000);
        Assert.All(fx.Result.Rows, r => { Assert.Equal("en", r.Language); Assert.True(r.LanguageScore > 0.65); Assert.Null(r.TokenCount); });
        Assert.All(fx.Result.Stages.Where(s => s.Stage != "PII scrub"), s => Assert.True(s.Dropped > 0, s.Stage));
        Assert.True(fx.Result.Stages.Single(s => s.Stage == "PII scrub").Modified > 20);
        // Nothing that should never get in got in.
        var kept = fx.Result.Rows.Select(r => r.Url).ToHashSet();
        Assert.DoesNotContain(fx.Crawl.Pages, p => kept.Contains(p.Url) && p.Kind is PageKind.Blocklisted or PageKind.BadUrl or PageKind.Foreign or PageKind.Spam);
        Assert.Contains(Crawl.SeedTravelUrl, kept);
        Assert.Contains(Crawl.SeedWeddingUrl, kept);
        Assert.True(fx.Crawl.Pages.Count(p => p.Kind == PageKind.MathWorksheet && kept.Contains(p.Url)) > 200, "worksheets must survive for part 6");
    }

    [Fact]
    public void Dedup_removes_most_planted_copies_and_only_one_of_each_pair_survives()
    {
        var kept = fx.Result.Rows.Select(r => r.Url).ToHashSet();
        var reachedDedup = fx.Result.Dropped.Where(d => d.Stage is not ("exact dedup" or "near dedup")).Select(d => d.Url).ToHashSet();
        var pairs = fx.Crawl.PlantedCopies.Where(c => !reachedDedup.Contains(c.Original) && !reachedDedup.Contains(c.Copy)).ToList();
        foreach (var kind in new[] { PageKind.Mirror, PageKind.Repost, PageKind.NearDuplicate })
        {
            var ofKind = pairs.Where(p => p.Kind == kind).ToList();
            int both = ofKind.Count(p => kept.Contains(p.Original) && kept.Contains(p.Copy));
            Assert.True(both <= ofKind.Count / 10, $"{kind}: {both} of {ofKind.Count} planted pairs both survived");
        }
        Assert.All(fx.Result.NearDuplicates, p => Assert.InRange(p.EstimatedJaccard, 0.7, 1.0));
        Assert.All(fx.Result.Duplicates.Where(p => p.Exact), p => Assert.Equal(1.0, p.EstimatedJaccard));
    }

    [Fact]
    public void No_email_phone_or_ip_survives_in_the_corpus_and_placeholders_do()
    {
        var text = string.Join("\n", fx.Result.Rows.Select(r => r.Text));
        Assert.DoesNotMatch(@"[\w.]+@[\w-]+\.example", text);
        Assert.DoesNotMatch(@"\b(192\.168|203\.0\.113|198\.51\.100)\.\d+\.\d+", text);
        Assert.DoesNotMatch(@"\(555\)|\+44 20 7946", text);
        Assert.Contains(PiiScrubber.EmailPlaceholder, text);
        Assert.Contains(PiiScrubber.PhonePlaceholder, text);
        Assert.Contains(PiiScrubber.IpPlaceholder, text);
    }

    [Fact]
    public void Facts_are_counted_after_filtering_and_spread_from_once_to_hundreds()
    {
        var facts = fx.Output.Facts;
        var france = facts.Single(f => f.Fact.Entity == "France");
        Assert.Equal("The capital of France is", france.Fact.Prompt);
        Assert.Equal("Paris", france.Fact.Answer);
        Assert.Equal(facts.Max(f => f.CorpusMentions), france.CorpusMentions);
        foreach (var b in FactWorld.Buckets) Assert.True(facts.Count(f => f.Bucket == b.Label) >= 10, $"bucket {b.Label}");
        Assert.All(facts, f => Assert.True(f.CorpusMentions <= f.CrawlMentions));
        // The counts are real: each counted page states the fact in its text.
        var rows = fx.Result.Rows.ToDictionary(r => r.Url);
        int checkedPages = 0;
        foreach (var (url, entities) in fx.Crawl.MentionsByUrl)
            if (rows.TryGetValue(url, out var row))
                foreach (var e in entities.Distinct())
                {
                    Assert.Contains(e, row.Text);
                    foreach (var f in fx.Crawl.Facts.FactsAbout(e)) Assert.Contains(f.Value, row.Text);
                    checkedPages++;
                }
        Assert.True(checkedPages > 1000);
        // The canonical phrasing of the recall prompt occurs in the corpus for the frequent facts.
        var corpus = string.Join("\n", fx.Result.Rows.Select(r => r.Text));
        Assert.True(Regex.Matches(corpus, "The capital of France is Paris").Count > 100);
    }

    [Fact]
    public void The_facts_file_round_trips()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.WriteAllText(tmp.File("facts.tsv"), FactWorld.ToTsv(fx.Output.Facts));
        var back = FactWorld.ReadTsv(tmp.File("facts.tsv"));
        Assert.Equal(fx.Output.Facts.OrderBy(f => f.Fact.Entity).ThenBy(f => f.Fact.Relation), back.OrderBy(f => f.Fact.Entity).ThenBy(f => f.Fact.Relation));
    }

    [Fact]
    public void Hostile_pages_in_the_pipeline_are_dropped_with_reasons_and_never_crash_it()
    {
        var pages = new[]
        {
            new CrawlPage("https://h.example/empty", "", PageKind.Hostile),
            new CrawlPage("https://h.example/big", "<p>" + string.Concat(Enumerable.Repeat("The same sentence again. ", 420_000)), PageKind.Hostile),
            new CrawlPage("https://h.example/script", "<script>alert(1)</script>", PageKind.Hostile),
            new CrawlPage("https://h.example/bin", new string('\0', 3000), PageKind.Hostile),
            new CrawlPage("::::", "<p>hello</p>", PageKind.Hostile),
        }.Concat(fx.Crawl.Pages.Where(p => p.Kind == PageKind.Hostile)).ToList();
        var r = new Pipeline().Run(pages);
        var dropped = r.Dropped.Select(d => d.Url).ToHashSet();
        Assert.All(pages.Take(5), p => Assert.Contains(p.Url, dropped));
        Assert.All(r.Dropped, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
        Assert.Equal(pages.Count, r.Rows.Count + r.Dropped.Count);
    }

    [Fact]
    public void Trace_walks_the_seed_page_through_every_step()
    {
        var t = new Pipeline().Trace(fx.Crawl.SeedTravelPage);
        Assert.True(t.Kept);
        Assert.Equal("en", t.Language!.Language);
        Assert.Equal(fx.Result.Rows[0].Text, t.Row!.Text);
        Assert.Contains("The capital of France is Paris.", t.Verdicts().ToHtml() + t.StoredRow().ToHtml());
        Assert.Contains("srcdoc=", t.Rendered().ToHtml());
        var spam = new Pipeline().Trace(fx.Crawl.Pages.First(p => p.Kind == PageKind.Blocklisted));
        Assert.Equal("URL filter", spam.DroppedAt);
        Assert.Null(spam.Extracted);
    }

    [Fact]
    public void The_notebook_views_render()
    {
        var r = fx.Result;
        Assert.Contains("funnel", r.Funnel().ToHtml());
        Assert.Contains("near dedup", r.DropReasonTable().ToHtml());
        Assert.Contains("<mark", r.NearDuplicateExample().ToHtml());
        Assert.Contains("[EMAIL]", string.Join("", Enumerable.Range(0, r.PiiScrubbed.Count).Select(i => r.PiiExample(i).ToHtml())));
        Assert.Contains("language_score", r.Peek().ToHtml());
        Assert.Contains("Blocklisted", r.Outcomes(fx.Crawl).ToHtml());
        Assert.Contains("Students often mix up cities", r.AsOneLongText(5).ToHtml());
        Assert.Contains("151+", LlmCourse.Visuals.DataCharts.FactFrequency(fx.Output.Facts).ToHtml());
    }
}
