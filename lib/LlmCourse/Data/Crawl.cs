using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LlmCourse.Data;

/// <summary>
/// The toy web crawl: a seeded generator of HTML pages that look like the web (real chrome around real
/// articles, spam, other languages, copies, PII), stating the fact world's facts a controlled number of
/// times. Nothing is downloaded: a synthetic crawl is small enough for a laptop, has no licence or privacy
/// problems, and — unlike Common Crawl — we know the truth about every page, so the notebook can check the
/// filters and later parts can measure recall against how often a fact was seen.
///
/// Generation is lazy and deterministic: the plan (which page says what) is made up front; each page's
/// HTML is rendered on demand from its own random sub-stream, so a 16x crawl streams without holding
/// every page in memory, and the same seed always gives byte-identical pages.
/// </summary>
public sealed class Crawl
{
    sealed record PageSpec(PageKind Kind, string Url, int Style, int Key, string[] Mentions, int Source = -1, string Lang = "en", int Variant = 0);

    readonly List<PageSpec> specs;
    readonly Dictionary<int, PageSpec> byKey;
    readonly Dictionary<string, int> indexByUrl;

    public CrawlConfig Config { get; }
    public FactWorld Facts { get; }

    /// <summary>For every page that states facts, the entity of each fact sentence on it (an entity may appear twice).</summary>
    public IReadOnlyDictionary<string, string[]> MentionsByUrl { get; }

    /// <summary>The copies the generator planted: (original url, copy url, kind of copy).</summary>
    public IReadOnlyList<(string Original, string Copy, PageKind Kind)> PlantedCopies { get; }

    public const string SeedTravelUrl = "https://travel-notes.example/europe/capitals";
    public const string SeedWeddingUrl = "https://small-events.example/blog/wedding-toast";

    public int Count => specs.Count;

    /// <summary>The pages in crawl order, rendered as they are enumerated.</summary>
    public IEnumerable<CrawlPage> Pages => Enumerable.Range(0, specs.Count).Select(i => this[i]);

    public CrawlPage this[int index] => Render(specs[index]);

    /// <summary>The page at a URL, or null.</summary>
    public CrawlPage? Find(string url) => indexByUrl.TryGetValue(url, out var i) ? this[i] : null;

    public CrawlPage SeedTravelPage => Find(SeedTravelUrl)!;
    public CrawlPage SeedWeddingPage => Find(SeedWeddingUrl)!;

    public IReadOnlyDictionary<PageKind, int> KindCounts =>
        specs.GroupBy(s => s.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    public override string ToString() =>
        $"Toy crawl, seed {Config.Seed}, {Count:N0} pages: " + string.Join(", ", KindCounts.Select(kv => $"{kv.Key} {kv.Value}"));

    public static Crawl Generate(ulong seed = 1, int scale = 1, int? copyingPages = null) => new(new CrawlConfig(seed, scale, copyingPages));

    public Crawl(CrawlConfig config)
    {
        if (config.Scale < 1) throw new ArgumentOutOfRangeException(nameof(config), "Scale must be at least 1.");
        Config = config;
        Facts = new FactWorld(config.Seed);
        var rng = Rng.For(config.Seed, 0xC4A71);
        int S = config.Scale;
        var plan = new List<PageSpec>();
        int key = 0;
        PageSpec Add(PageKind kind, string domain, string path, string[]? mentions = null, int style = -1, string lang = "en", int variant = 0)
        {
            var spec = new PageSpec(kind, $"https://{domain}/{path}-{key.ToString(CultureInfo.InvariantCulture)}", style < 0 ? rng.Next(PageChrome.StyleCount) : style, key++, mentions ?? [], -1, lang, variant);
            plan.Add(spec);
            return spec;
        }

        // 1. The talk's two pages, verbatim, in site chrome. The travel note is one of France's mentions.
        var seedTravel = new PageSpec(PageKind.Seed, SeedTravelUrl, 0, key++, ["France"]);
        var seedWedding = new PageSpec(PageKind.Seed, SeedWeddingUrl, 0, key++, []);

        // 2. Fact-bearing pages: deal every planned mention into pages of the kinds that talk about it.
        var countryTokens = new List<string>();
        var personTokens = new List<string>();
        foreach (var (entity, n) in Facts.PlannedMentions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            int count = n * S - (entity == "France" ? 1 : 0);
            var target = Facts.Countries.Any(c => c.Name == entity) ? countryTokens : personTokens;
            for (int i = 0; i < count; i++) target.Add(entity);
        }
        rng.Shuffle(countryTokens);
        rng.Shuffle(personTokens);
        int split = countryTokens.Count * 55 / 100;
        foreach (var m in Deal(countryTokens.Take(split).ToList(), 3, 8, rng))
            Add(PageKind.Encyclopedia, rng.Pick(["openfacts.example", "worldatlas-notes.example", "geo-wiki.example"]), "wiki/capitals", m);
        foreach (var m in Deal(countryTokens.Skip(split).ToList(), 2, 6, rng))
            Add(PageKind.TravelNote, rng.Pick(["travel-notes.example", "wanderlog.example", "backpack-diaries.example"]), "notes/trip", m);
        split = personTokens.Count * 70 / 100;
        foreach (var m in Deal(personTokens.Take(split).ToList(), 3, 6, rng))
            Add(PageKind.Biography, rng.Pick(["peoplepedia.example", "openfacts.example", "local-history.example"]), "people/profiles", m);
        foreach (var m in Deal(personTokens.Skip(split).ToList(), 1, 3, rng))
            Add(PageKind.News, rng.Pick(["eastbrook-gazette.example", "valley-herald.example", "harbour-times.example"]), "news/brief", m);

        // 3. Everything else the web has.
        for (int i = 0; i < 300 * S; i++) Add(PageKind.Blog, rng.Pick(["small-events.example", "homeandhearth.example", "mondaymusings.example", "slow-living.example"]), "blog/post");
        for (int i = 0; i < 250 * S; i++) Add(PageKind.Recipe, rng.Pick(["kitchen-table.example", "everydaycook.example"]), "recipes/dish");
        for (int i = 0; i < 250 * S; i++) Add(PageKind.Forum, rng.Pick(["askaround.example", "fixitforum.example"]), "threads/t");
        for (int i = 0; i < 300 * S; i++) Add(PageKind.MathWorksheet, rng.Pick(["mathpractice.example", "worksheets4kids.example"]), "worksheets/ws");
        for (int i = 0; i < 100 * S; i++) Add(PageKind.Spam, rng.Pick(["best-deals-today.example", "top10-reviews-now.example", "shop-smart-online.example"]), "offers/deal");
        var blocked = UrlFilter.LoadBlocklist(null).ToList();
        for (int i = 0; i < 120 * S; i++) Add(PageKind.Blocklisted, rng.Pick(blocked), rng.Pick(["video/watch", "download/setup", "promo/win", "pharmacy/order"]));
        for (int i = 0; i < 60 * S; i++)
        {
            int v = rng.Next(3);
            var spec = v switch
            {
                0 => Add(PageKind.BadUrl, rng.Pick(["files-mirror.example", "softhub.example"]), "downloads/installer", variant: 0),
                1 => Add(PageKind.BadUrl, rng.Pick(["free-prizes.xyz", "click-to-win.top", "loans-fast.loan", "hot-deals.click"]), "landing/offer", variant: 1),
                _ => Add(PageKind.BadUrl, $"203.0.113.{rng.Between(1, 254)}", "index/page", variant: 2),
            };
            if (v == 0) plan[^1] = spec with { Url = spec.Url + rng.Pick([".exe", ".zip", ".apk", ".pdf", ".mp4", ".jpg"]) };
        }
        foreach (var lang in new[] { "fr", "de", "es" })
            for (int i = 0; i < 70 * S; i++)
                Add(PageKind.Foreign, rng.Pick([$"{lang}-blog.example", $"voyage-{lang}.example", $"cuisine-{lang}.example"]), $"{lang}/article", lang: lang);
        for (int i = 0; i < 30 * S; i++) Add(PageKind.MixedLanguage, "bilingual-notes.example", "posts/entry", lang: rng.Pick(["fr", "de", "es"]));
        for (int i = 0; i < 100 * S; i++) Add(PageKind.LowQuality, rng.Pick(["placeholder-site.example", "linkfarm.example", "newsteaser.example"]), "page/p", variant: rng.Next(6));
        for (int i = 0; i < 18 * S; i++) Add(PageKind.Hostile, rng.Pick(["broken-site.example", "old-server.example"]), "page/h", variant: i % 6);

        // 4. Copies: exact mirrors, reposts in other chrome, and near-duplicates with one sentence changed.
        var sources = plan.Where(p => p.Kind is PageKind.Encyclopedia or PageKind.Biography or PageKind.TravelNote or PageKind.Blog
            or PageKind.Recipe or PageKind.Forum or PageKind.MathWorksheet).ToList();
        var copies = new List<(string, string, PageKind)>();
        var urls = plan.Select(p => p.Url).ToHashSet(StringComparer.Ordinal);
        void Copy(PageKind kind, int n, string[] domains)
        {
            for (int i = 0; i < n; i++)
            {
                var src = rng.Pick(sources);
                var path = new Uri(src.Url).AbsolutePath.TrimStart('/');
                int style = kind == PageKind.Mirror ? src.Style : (src.Style + 1 + rng.Next(PageChrome.StyleCount - 1)) % PageChrome.StyleCount;
                var copy = new PageSpec(kind, $"https://{rng.Pick(domains)}/{path}", style, key++, src.Mentions, src.Key);
                if (!urls.Add(copy.Url)) continue;
                plan.Add(copy);
                copies.Add((src.Url, copy.Url, kind));
            }
        }
        Copy(PageKind.Mirror, 80 * S, ["mirror-one.example", "webcache-copy.example", "archive-mirror.example"]);
        Copy(PageKind.Repost, 40 * S, ["content-aggregator.example", "daily-digest.example"]);
        Copy(PageKind.NearDuplicate, 80 * S, ["scraped-stories.example", "readers-repost.example"]);
        PlantedCopies = copies;

        // 5. Fan wikis of invented worlds, from a random stream of their own (so the pages above stay as they were).
        var fanRng = Rng.For(config.Seed, 0xFA4C1);
        for (int i = 0; i < 320 * S; i++)
            plan.Add(new PageSpec(PageKind.FanWiki, $"https://{fanRng.Pick(["fandom-notes.example", "bookworld-wiki.example", "gamelore.example"])}/wiki/page-{key.ToString(CultureInfo.InvariantCulture)}",
                fanRng.Next(PageChrome.StyleCount), key++, []));

        // Crawl order is arbitrary on the real web: shuffle, but start with the talk's two pages.
        rng.Shuffle(plan);

        // 6. Pages where copying pays, most of the corpus by volume, from a stream of their own, dealt into the
        // shuffled crawl at random places: the pages above keep their bytes and their order, so dedup keeps the
        // same copies of them and the fact world's mention counts do not move.
        var copyRng = Rng.For(config.Seed, 0xC0B1E5);
        int copying = config.CopyingPages ?? CrawlConfig.DefaultCopyingPages * S;
        var copyingPages = new List<PageSpec>(copying);
        for (int i = 0; i < copying; i++)
        {
            var (kind, domains, path) = PickWeighted(CopyingKinds, copyRng);
            copyingPages.Add(new PageSpec(kind, $"https://{copyRng.Pick(domains)}/{path}-{key.ToString(CultureInfo.InvariantCulture)}", copyRng.Next(PageChrome.StyleCount), key++, []));
        }
        var isCopying = Enumerable.Repeat(false, plan.Count).Concat(Enumerable.Repeat(true, copyingPages.Count)).ToList();
        copyRng.Shuffle(isCopying);
        var merged = new List<PageSpec>(isCopying.Count);
        int nextOld = 0, nextNew = 0;
        foreach (var c in isCopying) merged.Add(c ? copyingPages[nextNew++] : plan[nextOld++]);
        specs = [seedTravel, seedWedding, .. merged];
        byKey = specs.ToDictionary(s => s.Key);
        indexByUrl = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < specs.Count; i++) indexByUrl.TryAdd(specs[i].Url, i);
        MentionsByUrl = specs.Where(s => s.Mentions.Length > 0).GroupBy(s => s.Url).ToDictionary(g => g.Key, g => g.First().Mentions);
    }

    /// <summary>The copying page kinds, their share of those pages (in percent) and where they live.</summary>
    static readonly (int Weight, (PageKind Kind, string[] Domains, string Path) Page)[] CopyingKinds =
    [
        (20, (PageKind.Story, ["storytime-corner.example", "flashfiction-daily.example", "bedtime-tales.example"], "stories/s")),
        (12, (PageKind.LifeSketch, ["local-lives.example", "family-history-notes.example", "parish-records.example"], "lives/l")),
        (12, (PageKind.Letter, ["old-letters.example", "attic-archive.example"], "letters/l")),
        (14, (PageKind.SupportThread, ["repaircafe-forum.example", "appliance-help.example", "fixitforum.example"], "support/t")),
        (10, (PageKind.NamedRecipe, ["neighbourhood-kitchen.example", "reader-recipes.example"], "recipes/r")),
        (10, (PageKind.EventNotice, ["whats-on-locally.example", "village-noticeboard.example"], "events/e")),
        (16, (PageKind.RecordTable, ["club-noticeboard.example", "office-notes.example", "front-desk.example"], "lists/l")),
        (6, (PageKind.Confirmation, ["bookings-mail.example", "reservations-now.example"], "confirm/c")),
    ];

    static T PickWeighted<T>((int Weight, T Item)[] items, Rng rng)
    {
        int r = rng.Next(items.Sum(i => i.Weight));
        foreach (var (w, item) in items) { if (r < w) return item; r -= w; }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Deal shuffled mention tokens into pages of min..max mentions, avoiding the same entity twice on a page where possible.</summary>
    static List<string[]> Deal(List<string> tokens, int min, int max, Rng rng)
    {
        var pages = new List<string[]>();
        int i = 0;
        while (i < tokens.Count)
        {
            int k = Math.Min(rng.Between(min, max), tokens.Count - i);
            var page = new List<string>(k);
            for (int j = 0; j < k; j++)
            {
                int pos = i;
                while (pos < tokens.Count - 1 && pos < i + 64 && page.Contains(tokens[pos])) pos++;
                if (page.Contains(tokens[pos])) pos = i;
                (tokens[i], tokens[pos]) = (tokens[pos], tokens[i]);
                page.Add(tokens[i++]);
            }
            pages.Add([.. page]);
        }
        return pages;
    }

    /// <summary>SHA-256 over every page's URL and HTML, in crawl order: equal fingerprints mean byte-identical crawls.</summary>
    public string Fingerprint()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in Pages)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(p.Url + "\n"));
            sha.AppendData(Encoding.UTF8.GetBytes(p.Html));
            sha.AppendData([0]);
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    // ---- rendering ------------------------------------------------------------------------------

    CrawlPage Render(PageSpec spec)
    {
        var rng = Rng.For(Config.Seed, (ulong)spec.Key);
        string html = spec.Kind switch
        {
            PageKind.Hostile => PageWriters.Hostile(spec.Variant, rng),
            PageKind.Mirror => Render(byKey[spec.Source]).Html,
            PageKind.Repost or PageKind.NearDuplicate => RenderCopy(spec, rng),
            _ => PageChrome.Render(Content(spec), spec.Style, spec.Url, rng),
        };
        return new CrawlPage(spec.Url, html, spec.Kind);
    }

    string RenderCopy(PageSpec spec, Rng rng)
    {
        var src = byKey[spec.Source];
        var content = Content(src);
        if (spec.Kind == PageKind.NearDuplicate)
            content = PageWriters.ChangeOneSentence(content, src.Mentions, rng);
        return PageChrome.Render(content, spec.Style, spec.Url, rng);
    }

    PageContent Content(PageSpec spec)
    {
        // The article depends only on the page's own key, so copies re-create exactly the same text.
        var rng = Rng.For(Config.Seed, 0xA27C1E00000UL + (ulong)spec.Key);
        var w = new PageWriters(Facts, rng, spec.Url);
        return spec.Kind switch
        {
            PageKind.Seed => spec.Url == SeedTravelUrl ? PageWriters.SeedTravel() : PageWriters.SeedWedding(),
            PageKind.Encyclopedia => w.Encyclopedia(spec.Mentions),
            PageKind.TravelNote => w.TravelNote(spec.Mentions),
            PageKind.Biography => w.Biography(spec.Mentions),
            PageKind.News => w.News(spec.Mentions),
            PageKind.Blog => w.Blog(),
            PageKind.Recipe => w.Recipe(),
            PageKind.Forum => w.Forum(),
            PageKind.MathWorksheet => w.Worksheet(),
            PageKind.Spam or PageKind.Blocklisted or PageKind.BadUrl => w.Spam(),
            PageKind.Foreign => w.Foreign(spec.Lang),
            PageKind.MixedLanguage => w.Mixed(spec.Lang),
            PageKind.LowQuality => w.LowQuality(spec.Variant),
            PageKind.FanWiki => w.FanWiki(),
            PageKind.Story => w.Story(),
            PageKind.LifeSketch => w.LifeSketch(),
            PageKind.Letter => w.Letter(),
            PageKind.SupportThread => w.SupportThread(),
            PageKind.NamedRecipe => w.NamedRecipe(),
            PageKind.EventNotice => w.EventNotice(),
            PageKind.RecordTable => w.RecordTable(),
            PageKind.Confirmation => w.Confirmation(),
            _ => throw new InvalidOperationException($"No writer for {spec.Kind}"),
        };
    }
}
