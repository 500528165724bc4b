namespace LlmCourse.Data;

/// <summary>What kind of page the generator made. Ground truth for the notebook and the tests; the pipeline never reads it.</summary>
public enum PageKind
{
    /// <summary>One of the two pages from the talk (European capitals, wedding toast), verbatim.</summary>
    Seed,
    Encyclopedia, Biography, TravelNote, Blog, Recipe, Forum, News, MathWorksheet,
    /// <summary>Keyword-stuffed SEO pages on innocent-looking domains.</summary>
    Spam,
    /// <summary>Adult, malware and spam domains on the URL blocklist.</summary>
    Blocklisted,
    /// <summary>URLs that the rules catch: file downloads, suspicious top-level domains, raw IP hosts.</summary>
    BadUrl,
    /// <summary>French, German or Spanish pages.</summary>
    Foreign,
    /// <summary>Half English, half another language.</summary>
    MixedLanguage,
    /// <summary>"Page not found", "enable JavaScript", lorem ipsum, link farms, teasers.</summary>
    LowQuality,
    /// <summary>Empty body, script only, binary garbage, broken encoding, malformed markup.</summary>
    Hostile,
    /// <summary>
    /// A fan wiki about an invented world (a novel's or a game's): its countries and capitals, its characters' birth years
    /// and jobs, then a quiz with the answers. The names exist nowhere else, so the only way to predict an answer is to
    /// find it earlier on the page: the kind of text that teaches a model to use its context.
    /// </summary>
    FanWiki,
    /// <summary>An exact copy of another page's HTML on another domain.</summary>
    Mirror,
    /// <summary>Another page's article in different site chrome (same text after extraction).</summary>
    Repost,
    /// <summary>Another page's article in different chrome with one sentence changed.</summary>
    NearDuplicate,
}

/// <summary>One fetched page of the toy crawl: its URL and the HTML the "crawler" downloaded.</summary>
public sealed record CrawlPage(string Url, string Html, PageKind Kind)
{
    public override string ToString() => $"{Kind} {Url} ({Html.Length:N0} chars of HTML)";
}

/// <summary>The crawl's settings: the seed decides every byte; scale multiplies the number of pages (the bench uses 4 and 16).</summary>
public sealed record CrawlConfig(ulong Seed = 1, int Scale = 1);
