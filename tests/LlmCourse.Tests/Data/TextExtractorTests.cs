using System.Text;
using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class TextExtractorTests
{
    // The seed's "Extract plain text" step, verbatim.
    const string SeedTravelText =
        "Students often mix up cities, regions, and countries when learning geography.\n\n" +
        "The capital of France is Paris. It appears in this toy document as ordinary web text, exactly the kind of sentence a crawler might collect before cleaning.\n\n" +
        "After collection, this page would be reduced to plain text and stored alongside many other documents.";

    const string SeedWeddingText =
        "The best speeches usually sound like one person speaking sincerely to another person.\n\n" +
        "A good wedding toast should be personal, brief, and kind. It can include a small story, a thank-you, and a clear wish for the couple.\n\n" +
        "This is another toy source document that can move through the same scrape, process, deduplicate, and store pipeline.";

    [Fact]
    public void The_seed_pages_come_out_exactly_as_the_talk_shows_them()
    {
        var crawl = Crawl.Generate();
        var travel = TextExtractor.Extract(crawl.SeedTravelPage.Html);
        Assert.Equal("A Quick Guide To European Capitals", travel.Title);
        Assert.Equal("Public travel notes · Geography basics", travel.Source);
        Assert.Equal(SeedTravelText, travel.Text);
        var wedding = TextExtractor.Extract(crawl.SeedWeddingPage.Html);
        Assert.Equal("How To Give A Warm Wedding Toast", wedding.Title);
        Assert.Equal(SeedWeddingText, wedding.Text);
    }

    [Fact]
    public void Site_chrome_never_reaches_the_text_in_any_site_template()
    {
        var crawl = Crawl.Generate();
        string[] chrome = ["cookies", "Advertisement", "Sponsored", "All rights reserved", "gtag", "dataLayer", "Share this", "You might also like",
            "Popular", "Archives", "Sign up", "enable JavaScript", "font-family", "Most read this week"];
        var pages = crawl.Pages.Where(p => p.Kind is PageKind.Blog or PageKind.Recipe or PageKind.Encyclopedia).Take(300).ToList();
        Assert.True(pages.Select(p => p.Html).Distinct().Count() > 100);
        foreach (var page in pages)
        {
            var ex = TextExtractor.Extract(page.Html);
            Assert.True(ex.Keep, page.Url);
            foreach (var c in chrome) Assert.DoesNotContain(c, ex.Text);
            Assert.DoesNotContain("|", ex.Title ?? ""); // the <title> suffix " | Site" is not the headline
        }
    }

    [Fact]
    public void List_items_become_dash_lines_and_paragraphs_are_separated_by_blank_lines()
    {
        var ex = TextExtractor.Extract("<html><body><article><h1>T</h1><p>One  two\n three.</p><ul><li>flour</li><li>eggs</li></ul><p>Done.</p></article></body></html>");
        Assert.Equal("One two three.\n\n- flour\n- eggs\n\nDone.", ex.Text);
        Assert.Equal("T", ex.Title);
    }

    [Fact]
    public void Malformed_markup_still_yields_its_text()
    {
        var ex = TextExtractor.Extract("<html><head><title>Old page</title><body><div class=content><h1>Garden</h1><p>Tomatoes grow well.<b><i>Water them daily.</b></i></div><p>Pick them red.<table><tr><td>a<td>b</table");
        Assert.True(ex.Keep);
        Assert.Contains("Tomatoes grow well.", ex.Text);
        Assert.Contains("Pick them red.", ex.Text);
        Assert.Equal("Garden", ex.Title);
    }

    public static TheoryData<string, string, string> HostileInputs() => new()
    {
        { "empty string", "", "empty response" },
        { "whitespace only", "   \n\t ", "empty response" },
        { "empty body", "<!DOCTYPE html><html><head><title></title></head><body></body></html>", "no text after extraction" },
        { "script only", "<html><body><div id=root></div><script>for(;;){document.write('x')}</script><style>p{color:red}</style></body></html>", "no text after extraction" },
        { "binary garbage", BinaryGarbage(), "binary content" },
        { "10 MB page", "<html><body><p>" + new string('a', 10_000_000) + "</p></body></html>", "page too large (10.0 M chars > 2 M)" },
    };

    static string BinaryGarbage()
    {
        var rng = new Rng(7);
        return new string(Enumerable.Range(0, 5000).Select(_ => (char)rng.Next(256)).ToArray());
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_pages_are_dropped_with_a_reason_not_a_crash(string what, string html, string reason)
    {
        var ex = TextExtractor.Extract(html);
        Assert.False(ex.Keep, what);
        Assert.Equal(reason, ex.DropReason);
    }

    [Fact]
    public void Deeply_nested_markup_does_not_overflow_the_stack()
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 50_000)) + "<p>deep text</p></body></html>";
        var ex = TextExtractor.Extract(html);
        Assert.Contains("deep text", ex.Text);
    }

    [Fact]
    public void Bytes_in_the_wrong_encoding_are_decoded_without_crashing()
    {
        // Latin-1 bytes served as if they were UTF-8: invalid UTF-8, decoded as Latin-1 instead.
        var latin1 = Encoding.Latin1.GetBytes("<html><body><p>Un café à Paris, s'il vous plaît.</p></body></html>");
        Assert.Contains("café à Paris", TextExtractor.Extract(latin1).Text);
        // UTF-16 with a byte-order mark.
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<p>Grüße aus Köln.</p>")).ToArray();
        Assert.Equal("Grüße aus Köln.", TextExtractor.Extract(utf16).Text);
        // UTF-16 without a byte-order mark reads as text full of NUL characters: recognised as binary.
        var noBom = Encoding.Unicode.GetBytes("<html><body><p>Hello there, this is text.</p></body></html>");
        Assert.Equal("binary content", TextExtractor.Extract(noBom).DropReason);
        Assert.Equal("empty response", TextExtractor.Extract([]).DropReason);
    }

    [Fact]
    public void Mojibake_survives_extraction_but_the_quality_filter_names_it()
    {
        var html = "<html><body><p>" + string.Join(" ", Enumerable.Repeat("Itâ€™s a cafÃ© where the owner hasnâ€™t changed the menu in years and that is fine with us.", 8)) + "</p></body></html>";
        var ex = TextExtractor.Extract(html);
        Assert.True(ex.Keep);
        Assert.Equal("broken encoding", QualityFilter.Default.Check(ex.Text).Checks.First(c => !c.Passed && c.Name == "broken encoding").Name);
    }
}
