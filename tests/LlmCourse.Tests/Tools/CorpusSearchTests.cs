using CsCheck;
using LlmCourse.Data;
using LlmCourse.Tools;

namespace LlmCourse.Tests.Tools;

/// <summary>
/// Search over the shipped corpus. The facts come from data/facts.tsv, whose mention counts say how rare
/// each one is: a fact the corpus states once or twice has to be found by ranking, not by luck.
/// </summary>
public class CorpusSearchTests
{
    static readonly IReadOnlyList<FactCount> Facts = FactWorld.ReadTsv(CourseData.PathOf("facts.tsv"));
    static readonly SearchTool Search = new(CorpusSearch.Shipped);

    /// <summary>Facts the corpus mentions only once or twice.</summary>
    static IEnumerable<FactCount> Rare(string relation) =>
        Facts.Where(f => f.Fact.Relation == relation && f.CorpusMentions is 1 or 2);

    [Fact]
    public void TheCapitalOfACountryMentionedOnceIsFound()
    {
        var angola = Facts.Single(f => f.Fact.Entity == "Angola");
        Assert.Equal(1, angola.CorpusMentions);
        var result = Search.Run("capital of Angola");
        Assert.False(result.IsError);
        Assert.StartsWith("Luanda, the capital of Angola", result.Text);
        Assert.EndsWith("(openfacts.example)", result.Text);   // the site, to cite the source
    }

    [Fact]
    public void EveryRareCapitalIsFound()
    {
        var rare = Rare("capital").ToList();
        Assert.True(rare.Count >= 20, $"{rare.Count}");
        var missed = rare.Where(f => !Search.Run($"What is the capital of {f.Fact.Entity}?").Text.Contains(f.Fact.Answer)).ToList();
        Assert.True(missed.Count == 0, string.Join(", ", missed.Select(f => f.Fact.Entity)));
    }

    [Fact]
    public void EveryRareInventedPersonsBirthYearAndJobAreFound()
    {
        var born = Rare("born").ToList();
        Assert.True(born.Count >= 40, $"{born.Count}");
        var missed = born.Where(f => !Search.Run($"When was {f.Fact.Entity} born?").Text.Contains(f.Fact.Answer))
            .Concat(Rare("job").Where(f => !Search.Run($"{f.Fact.Entity} job").Text.Contains(f.Fact.Answer))).ToList();
        Assert.True(missed.Count == 0, string.Join("\n", missed.Select(f =>
            $"{f.Fact.Entity} {f.Fact.Relation} ({f.Fact.Answer}): {Search.Run(f.Fact.Relation == "born" ? $"When was {f.Fact.Entity} born?" : $"{f.Fact.Entity} job").Text}")));
    }

    [Fact]
    public void AHitIsASentenceWithItsPageNotAWholePage()
    {
        var hits = CorpusSearch.Shipped.Search("Bruno Okonkwo", 3);
        Assert.Equal(3, hits.Count);
        var best = hits[0];
        Assert.Contains("Bruno Okonkwo", best.Text);
        Assert.Contains("1959", best.Text);
        Assert.True(best.Text.Length < 120, best.Text);
        Assert.StartsWith("https://", best.Url);
        Assert.False(string.IsNullOrEmpty(best.Title));
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best first");
    }

    [Fact]
    public void ARepeatedSentenceIsReturnedOnce()
    {
        // "The capital of France is Paris." is on hundreds of pages; the hits are still three different sentences.
        var hits = CorpusSearch.Shipped.Search("capital of France", 3);
        Assert.Equal(3, hits.Select(h => h.Text).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(hits, h => Assert.Contains("Paris", h.Text));
    }

    [Fact]
    public void ADistantSecondHitIsLeftOut()
    {
        // The Angola sentence scores far above every sentence that only shares "capital".
        Assert.DoesNotContain('\n', Search.Run("capital of Angola").Text);
        // Two sentences about the same person are both relevant, and both fit.
        Assert.Equal(2, Search.Run("Kwame Osei-Bonsu").Text.Split('\n').Length);
    }

    [Theory]
    [InlineData("\"capital of Angola", true)]
    [InlineData("capital: Angola", true)]
    [InlineData("(Angola", true)]
    [InlineData("Angola AND", true)]
    [InlineData("AND Angola OR NOT", true)]
    [InlineData("Angola*", true)]
    [InlineData("Ango?a Angola~2", true)]
    [InlineData("[Angola TO", true)]
    [InlineData("Angola \\ / ! + - && || { } ~", true)]
    // Unicode word breaking (UAX #29) keeps a colon between letters inside the word, so "text:angola" is
    // one unknown word and only the "3" of "^3" is searched: an odd answer, but an answer, not an exception.
    [InlineData("text:Angola^3", false)]
    public void LuceneSyntaxIsJustText(string query, bool findsLuanda)
    {
        var result = Search.Run(query);
        Assert.False(result.IsError, result.Text);
        Assert.Equal(findsLuanda, result.Text.Contains("Luanda"));
    }

    [Theory]
    [InlineData("xyzzy plugh", "no results for 'xyzzy plugh'")]
    [InlineData("the of and", "no results for 'the of and'")]     // stop words only: nothing to look for
    [InlineData("\"*:()", "no results for '\"*:()'")]
    [InlineData("***", "no results for '***'")]
    public void NothingFoundIsTheNoResultsAnswer(string query, string expected)
    {
        var result = Search.Run(query);
        Assert.Equal(expected, result.Text);
        Assert.False(result.IsError);   // the search worked; there was nothing to find
        Assert.Empty(CorpusSearch.Shipped.Search(query));
    }

    [Fact]
    public void AnEmptyOrTooLongQueryIsAnError()
    {
        Assert.Equal(ToolResult.Error("empty query"), Search.Run("  "));
        var tooLong = string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"w{i}"));   // > Lucene's 1,024 clauses
        Assert.Equal(ToolResult.Error("query too long (max 200 characters)"), Search.Run(tooLong));
        Assert.Throws<ArgumentException>(() => CorpusSearch.Shipped.Search(tooLong));
    }

    [Fact]
    public void AnyQueryGetsAShortAnswerAndNeverAnException() =>
        Gen.OneOf(Gen.Char["Angola capital\"*:()?~^[]{}\\/!+-&|ANDORT "], Gen.Char).Array[0, 250].Select(cs => new string(cs)).Sample(query =>
        {
            var result = Search.Run(query);
            Assert.True(result.Text.Length <= ToolResult.DefaultMaxLength, result.Text);
        }, iter: 500);

    [Fact]
    public void TheResultFitsTheLimitItWasGiven()
    {
        var narrow = new SearchTool(CorpusSearch.Shipped, hits: 3, maxLength: 40);
        var result = narrow.Run("capital of Angola");
        Assert.True(result.Text.Length <= 40, result.Text);
        Assert.EndsWith("…", result.Text);
    }

    [Fact]
    public void TheShippedIndexIsBuiltQuicklyFromEveryRow()
    {
        var rows = CorpusParquet.ReadShipped();
        CorpusSearch? index = null;
        var cpu = CpuTime.Measure(() => index = new CorpusSearch(rows));
        using var _ = index;
        Assert.Equal(rows.Count, index!.Documents);
        Assert.True(index.Passages > 10 * rows.Count, index.ToString());
        // About 1.2 s of CPU in a fresh process (most of it compiling Lucene) and 0.3 s once warm. CPU time,
        // not wall time, so that a busy machine does not fail the test.
        Assert.True(cpu < TimeSpan.FromSeconds(5), $"{index}, {cpu.TotalMilliseconds:N0} ms of CPU");
        Assert.Equal(CorpusSearch.Shipped.Search("capital of Angola"), index.Search("capital of Angola"));
    }

    [Fact]
    public void BM25RanksTheRareWordAboveTheCommonOnes()
    {
        CorpusRow Row(string url, string text) => new() { Url = url, Title = url, Text = text };
        using var index = new CorpusSearch([
            Row("https://a.example/1", "The capital of Ruritania is Strelsau. The capital is old."),
            Row("https://b.example/2", "The capital of the state is a capital city with a capital river. Capital!"),
            Row("https://c.example/3", "Nothing here mentions it."),
        ]);
        Assert.Equal(3, index.Documents);
        Assert.Equal(5, index.Passages);
        var hits = index.Search("capital of Ruritania", 5);
        Assert.Equal("The capital of Ruritania is Strelsau.", hits[0].Text);
        Assert.Equal("a.example", hits[0].Site);
        Assert.DoesNotContain(hits, h => h.Text.Contains("Nothing"));
    }
}
