using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class UrlFilterTests
{
    readonly UrlFilter filter = UrlFilter.Default;

    [Theory]
    [InlineData("https://free-casino-spins.example/promo/win-1", "blocklisted domain")]
    [InlineData("https://www.adult-videos-xxx.example/video/watch-2", "blocklisted domain")] // a subdomain of a listed domain
    [InlineData("https://softhub.example/downloads/installer-3.exe", "file type .exe")]
    [InlineData("https://files-mirror.example/a/b.ZIP", "file type .zip")]
    [InlineData("https://free-prizes.xyz/landing/offer", "suspicious TLD .xyz")]
    [InlineData("http://203.0.113.7/index/page", "IP address as host")]
    [InlineData("https://myblog.example/best-casino-tips", "banned word in URL")]
    [InlineData("not a url at all", "not an http(s) URL")]
    [InlineData("ftp://files.example/data.txt", "not an http(s) URL")]
    [InlineData("", "not an http(s) URL")]
    public void Drops_bad_urls_with_the_reason(string url, string reason)
    {
        var v = filter.Check(url);
        Assert.False(v.Keep);
        Assert.Equal(reason, v.Reason);
    }

    [Theory]
    [InlineData(Crawl.SeedTravelUrl)]
    [InlineData(Crawl.SeedWeddingUrl)]
    [InlineData("https://kitchen-table.example/recipes/dish-12")]
    [InlineData("https://mathpractice.example/worksheets/ws-3.html")]
    public void Keeps_ordinary_pages(string url) => Assert.True(filter.Check(url).Keep);

    [Fact]
    public void Every_blocklisted_page_of_the_crawl_is_dropped_and_nothing_else_is_blocklisted()
    {
        var crawl = Crawl.Generate();
        var pages = crawl.Pages.ToList();
        Assert.All(pages.Where(p => p.Kind is PageKind.Blocklisted or PageKind.BadUrl), p => Assert.False(filter.Check(p.Url).Keep, p.Url));
        Assert.All(pages.Where(p => p.Kind is not (PageKind.Blocklisted or PageKind.BadUrl)), p => Assert.True(filter.Check(p.Url).Keep, p.Url));
    }

    [Fact]
    public void A_blocklist_file_can_replace_the_shipped_one()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.WriteAllText(tmp.File("block.txt"), "# comment\nkitchen-table.example\n");
        var custom = new UrlFilter(UrlFilter.LoadBlocklist(tmp.File("block.txt")));
        Assert.False(custom.Check("https://kitchen-table.example/recipes/dish-1").Keep);
        Assert.True(custom.Check("https://crack-downloads.example/x").Keep);
    }
}
