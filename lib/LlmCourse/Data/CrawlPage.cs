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
    // Pages where copying pays (CopyingPages.cs): specifics drawn fresh for the page and used again later on it.
    /// <summary>A short story whose invented characters, pet, house number and object recur.</summary>
    Story,
    /// <summary>The life of an invented person, restated in a key facts box, a summary or a Q&amp;A.</summary>
    LifeSketch,
    /// <summary>A letter ("Dear X, … Love, Y") that names a date, time and place, and repeats them in a P.S.</summary>
    Letter,
    /// <summary>A support thread whose users quote each other and repeat an order number, error code and part number.</summary>
    SupportThread,
    /// <summary>A named cook's recipe whose quantities are reused in the method ("the 350 g of flour").</summary>
    NamedRecipe,
    /// <summary>An event notice whose date, time, venue and prices are repeated in a reminder.</summary>
    EventNotice,
    /// <summary>A fresh list of key–value pairs (lockers, rooms, item codes…) in a per-page format, then lookups answered from it.</summary>
    RecordTable,
    /// <summary>A booking confirmation that asks the reader to repeat an arbitrary reference code.</summary>
    Confirmation,
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
/// <param name="CopyingPages">
/// How many pages where copying pays (stories, letters, record tables…) to add; null for the full crawl's
/// <see cref="DefaultCopyingPages"/> × scale. The other pages do not depend on it, and a smaller number gives the
/// first pages of the full list, so a notebook can run the pipeline live on a lighter crawl with the same facts.
/// </param>
public sealed record CrawlConfig(ulong Seed = 1, int Scale = 1, int? CopyingPages = null)
{
    public const int DefaultCopyingPages = 30_000;
}
