using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class QualityFilterTests
{
    readonly QualityFilter filter = QualityFilter.Default;


    [Fact]
    public void The_seed_pages_pass_every_check()
    {
        var crawl = Crawl.Generate();
        foreach (var page in new[] { crawl.SeedTravelPage, crawl.SeedWeddingPage })
        {
            var v = filter.Check(TextExtractor.Extract(page.Html).Text);
            Assert.True(v.Keep, string.Join("\n", v.Checks));
        }
    }

    [Theory]
    [InlineData("word count", "Coming soon. Stay tuned!")]
    [InlineData("top 2-gram share", "cheap watches best price cheap watches buy now cheap watches best price cheap watches the and of to cheap watches cheap watches cheap watches best price buy now cheap watches cheap watches best price buy now cheap watches cheap watches best price cheap watches buy now cheap watches")]
    [InlineData("lorem ipsum", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. The and of to the that have with a the and of to the that have with and the of to a the that and the of to and the the of to and the that have with and the of to the and of.")]
    public void Drops_junk_and_says_which_rule(string reason, string text)
    {
        var v = filter.Check(text);
        Assert.False(v.Keep);
        Assert.Contains(v.Checks, c => c.Name == reason && !c.Passed);
    }

    [Fact]
    public void Teasers_ending_in_ellipses_and_link_lists_are_dropped()
    {
        var teasers = string.Join("\n", Enumerable.Range(0, 12).Select(i => $"You will not believe what happened to the family on day {i} of their trip to the coast and then..."));
        Assert.Equal("lines ending in ellipsis", filter.Check(teasers).Reason);
        var links = string.Join("\n", Enumerable.Range(0, 30).Select(i => $"- Best cheap watches in the town of Harrow number {i}"));
        Assert.Contains(filter.Check(links).Checks, c => c.Name == "bullet lines" && !c.Passed);
    }

    [Fact]
    public void Repeated_lines_and_sentences_are_caught()
    {
        var text = string.Join("\n", Enumerable.Repeat("Click here to win the best prize of the year with our amazing offer today.", 20));
        var v = filter.Check(text);
        Assert.False(v.Keep);
        Assert.Contains(v.Checks, c => c.Name == "duplicate lines" && !c.Passed);
    }

    [Fact]
    public void Ordinary_prose_and_worked_arithmetic_pass()
    {
        var crawl = Crawl.Generate();
        foreach (var kind in new[] { PageKind.Blog, PageKind.Recipe, PageKind.Forum, PageKind.TravelNote })
        {
            var text = TextExtractor.Extract(crawl.Pages.First(p => p.Kind == kind).Html).Text;
            Assert.True(filter.Check(text).Keep, kind + "\n" + string.Join("\n", filter.Check(text).Checks));
        }
        var rng = new Rng(3);
        var sheet = string.Join("\n\n", Enumerable.Range(0, MathProblems.Families).Select(f => MathProblems.Family(f, rng).ToWorksheetText()));
        var v = filter.Check(sheet);
        Assert.True(v.Keep, string.Join("\n", v.Checks));
    }

    [Fact]
    public void Every_check_reports_a_value_and_its_rule()
    {
        var v = filter.Check("");
        Assert.False(v.Keep);
        Assert.Equal("word count", v.Reason);
        Assert.All(v.Checks, c => Assert.False(string.IsNullOrEmpty(c.Rule)));
        Assert.True(v.Checks.Count >= 12);
    }
}
