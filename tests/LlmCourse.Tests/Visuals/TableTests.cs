using LlmCourse.Visuals;

namespace LlmCourse.Tests.Visuals;

/// <summary>The course's table view shows records and anonymous objects the same in every front end, line breaks kept.</summary>
public class TableTests
{
    sealed record City(string Name, int Population, string? Note);

    [Fact]
    public void ColumnsAreTheProperties()
    {
        var table = Table.Of([new City("Paris", 2_100_000, null), new City("Lyon", 520_000, "second\nline")]);
        Assert.Equal(["Name", "Population", "Note"], table.Columns);
        Assert.Equal(["Paris", "2100000", ""], table.Rows[0]);            // numbers invariant, null empty
        Assert.Contains("white-space:pre-wrap", table.ToHtml());          // line breaks render as breaks
        Assert.Contains("second↵line", table.ToText());
    }

    [Fact]
    public void AnonymousObjectsAndPlainValuesWork()
    {
        Assert.Equal(["seed", "text"], Table.Of(new[] { 1, 2 }.Select(s => new { seed = s, text = "x" })).Columns);
        Assert.Equal(["value"], Table.Of(new[] { "a", "b" }).Columns);
        var fields = Table.Fields(new { Config = "GPT", Parameters = 3 });
        Assert.Equal([["Config", "GPT"], ["Parameters", "3"]], fields.Rows.Select(r => r.ToArray()));
    }

    [Fact]
    public void TextIsEscaped()
    {
        var html = Table.Of(new[] { new { text = "<|endoftext|> & <b>" } }).ToHtml();
        Assert.Contains("&lt;|endoftext|&gt; &amp; &lt;b&gt;", html);
    }
}
