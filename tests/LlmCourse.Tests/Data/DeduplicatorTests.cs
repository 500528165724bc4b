using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class DeduplicatorTests
{
    static readonly Crawl crawl = Crawl.Generate();

    static string TextOf(PageKind kind, int n) => TextExtractor.Extract(crawl.Pages.Where(p => p.Kind == kind).ElementAt(n).Html).Text;

    [Fact]
    public void Exact_copies_are_found_despite_case_and_whitespace()
    {
        var d = new Deduplicator();
        var text = TextOf(PageKind.Blog, 0);
        Assert.True(d.Check("https://a.example/1", text).Keep);
        var v = d.Check("https://b.example/1", "  " + text.ToUpperInvariant().Replace(" ", "   \n") + "\n");
        Assert.False(v.Keep);
        Assert.Equal("exact duplicate", v.Reason);
        Assert.Equal(new DuplicatePair("https://a.example/1", "https://b.example/1", 1.0, true), v.Pair);
    }

    [Fact]
    public void A_planted_near_duplicate_is_found_with_its_estimated_jaccard()
    {
        var d = new Deduplicator();
        var original = TextOf(PageKind.Recipe, 3);
        var sentences = original.Split(". ");
        var changed = original.Replace(sentences[1], "We first published a shorter version of this text last year");
        Assert.NotEqual(original, changed);
        Assert.True(d.Check("https://orig.example/r", original).Keep);
        var v = d.Check("https://copy.example/r", changed);
        Assert.False(v.Keep);
        Assert.Equal("near duplicate", v.Reason);
        Assert.Equal("https://orig.example/r", v.Pair!.KeptUrl);
        var exact = d.MinHash.Jaccard(original, changed);
        Assert.InRange(v.Pair.EstimatedJaccard, 0.7, 0.999);
        Assert.InRange(v.Pair.EstimatedJaccard, exact - 0.15, exact + 0.15);
        Assert.Equal(changed, v.Pair.RemovedText);
    }

    [Fact]
    public void Different_pages_of_the_same_kind_are_not_duplicates()
    {
        var d = new Deduplicator();
        foreach (var kind in new[] { PageKind.Blog, PageKind.Recipe, PageKind.MathWorksheet, PageKind.Biography })
            for (int i = 0; i < 40; i++)
                Assert.True(d.Check($"https://x.example/{kind}/{i}", TextOf(kind, i)).Keep, $"{kind} {i}");
    }

    [Fact]
    public void MinHash_estimates_jaccard_within_sampling_error()
    {
        var mh = new MinHash(hashes: 256);
        var rng = new Rng(5);
        var words = Enumerable.Range(0, 400).Select(i => $"w{i}").ToList();
        for (int trial = 0; trial < 10; trial++)
        {
            var a = string.Join(" ", words.Take(300));
            var b = string.Join(" ", words.Skip(rng.Between(10, 150)).Take(300));
            double est = MinHash.EstimatedJaccard(mh.Signature(a), mh.Signature(b)), exact = mh.Jaccard(a, b);
            Assert.InRange(est, exact - 0.1, exact + 0.1);
        }
    }
}
