using System.Text.RegularExpressions;
using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

/// <summary>
/// The pages where copying pays: their specifics are fresh per page and come back later on the same page, they never
/// touch the fact world (part 5 measures recall by mention count), they never use the few-shot test's "->" format, and
/// nearly all of them survive the pipeline.
/// </summary>
[Collection("default crawl")]
public class CopyingPagesTests(DefaultCrawlFixture fx)
{
    static readonly PageKind[] Kinds = [PageKind.Story, PageKind.LifeSketch, PageKind.Letter, PageKind.SupportThread,
        PageKind.NamedRecipe, PageKind.EventNotice, PageKind.RecordTable, PageKind.Confirmation];

    Dictionary<string, PageKind>? kindByUrl;
    Dictionary<string, PageKind> KindByUrl => kindByUrl ??= fx.Crawl.Pages.ToDictionary(p => p.Url, p => p.Kind);

    List<(PageKind Kind, CorpusRow Row)> CopyingRows() =>
        fx.Result.Rows.Where(r => Kinds.Contains(KindByUrl[r.Url])).Select(r => (KindByUrl[r.Url], r)).ToList();

    [Fact]
    public void They_are_most_of_the_corpus_and_nearly_all_survive_the_pipeline()
    {
        var planned = fx.Crawl.KindCounts.Where(kv => Kinds.Contains(kv.Key)).Sum(kv => kv.Value);
        Assert.Equal(CrawlConfig.DefaultCopyingPages, planned);
        var rows = CopyingRows();
        Assert.True(rows.Count >= planned * 0.99, $"{rows.Count} of {planned} kept");
        foreach (var kind in Kinds)
            Assert.True(rows.Count(r => r.Kind == kind) >= fx.Crawl.KindCounts[kind] * 0.98, $"{kind}: {rows.Count(r => r.Kind == kind)} of {fx.Crawl.KindCounts[kind]} kept");
        Assert.True(rows.Sum(r => (long)r.Row.Text.Length) > fx.Result.CorpusChars * 0.8, "the copying pages are most of the corpus");
        // The restating sections (key facts, summaries, Q&A, reading checks, reminders) are in what survived.
        var text = string.Join("\n", rows.Select(r => r.Row.Text));
        foreach (var heading in new[] { "Key facts", "In short", "Q: ", "Questions about the story", "Reminder", "Repeat the code to confirm" })
            Assert.Contains(heading, text);
    }

    [Fact]
    public void Every_page_uses_a_rare_specific_again_well_after_introducing_it()
    {
        var rows = CopyingRows();
        // A specific is a name or a code: a capitalised word or a word with a digit, on fewer than 1% of these pages.
        var specific = new Regex(@"\b(?:[A-Z][a-z]{3,}|[A-Z0-9-]*\d[A-Z0-9-]*)\b");
        var pagesWith = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, row) in rows)
            foreach (var w in specific.Matches(row.Text).Select(m => m.Value).Distinct()) pagesWith[w] = pagesWith.GetValueOrDefault(w) + 1;
        var missing = new List<string>();
        // Recipes reuse quantities, which are not rare words: the recipe test below checks those.
        foreach (var (kind, row) in rows.Where(r => r.Kind != PageKind.NamedRecipe))
        {
            // Used again: the first and the last mention are at least a quarter of the page apart.
            var text = row.Text;
            bool reused = specific.Matches(text).GroupBy(m => m.Value).Any(g => pagesWith[g.Key] < rows.Count / 100 && g.Last().Index - g.First().Index >= text.Length / 4);
            if (!reused) missing.Add($"{kind} {row.Url}");
        }
        Assert.True(missing.Count <= rows.Count / 100, $"{missing.Count} pages reuse nothing: " + string.Join(", ", missing.Take(5)));
    }

    [Fact]
    public void Support_threads_repeat_their_order_number_and_error_code_and_tables_answer_from_their_list()
    {
        foreach (var (kind, row) in CopyingRows())
        {
            if (kind == PageKind.SupportThread)
            {
                var first = Regex.Match(row.Text, @"shows error (?<error>\S+) every time .* order (?<order>[^.\s]+)\.");
                Assert.True(first.Success, row.Text);
                var rest = row.Text[(first.Index + first.Length)..];
                Assert.Contains(first.Groups["error"].Value, rest);
            }
            else if (kind == PageKind.NamedRecipe)
            {
                // "- 350 g flour" in the list, "the 350 g of flour" in the method.
                foreach (Match item in Regex.Matches(row.Text, @"^- (?<amount>\d+ (?:g|ml)) (?<name>\w+)$", RegexOptions.Multiline))
                    Assert.Contains($"{item.Groups["amount"].Value} of {item.Groups["name"].Value}", row.Text);
            }
        }
    }

    [Fact]
    public void No_copying_page_names_a_fact_world_entity()
    {
        var people = fx.Crawl.Facts.People.Select(p => p.Name).ToList();
        var surnames = new Regex(@"\b(?:" + string.Join("|", Words.LastNames.Select(Regex.Escape)) + @")\b");
        var countries = fx.Crawl.Facts.Countries;
        var capitals = new Regex(@"\b(?:" + string.Join("|", countries.Select(c => Regex.Escape(c.Capital))) + @")\b");
        var countryNames = new Regex(@"\b(?:" + string.Join("|", countries.Select(c => Regex.Escape(c.Name))) + @")\b");
        foreach (var (kind, row) in CopyingRows())
        {
            var text = row.Title + "\n" + row.Text;
            Assert.DoesNotContain(people, text.Contains);
            Assert.False(surnames.IsMatch(text), $"{kind} {row.Url} uses a fact-world surname: {surnames.Match(text).Value}");
            Assert.False(capitals.IsMatch(text), $"{kind} {row.Url} names a capital: {capitals.Match(text).Value}");
            Assert.False(countryNames.IsMatch(text), $"{kind} {row.Url} names a country: {countryNames.Match(text).Value}");
            Assert.DoesNotContain("capital of", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Empty(fx.Crawl.MentionsByUrl.Keys.Where(u => Kinds.Contains(KindByUrl[u])));
    }

    [Fact]
    public void No_corpus_text_uses_the_arrow_format_the_few_shot_test_teaches()
    {
        // Part 1 tests few-shot learning of "Japan -> Tokyo": the corpus must never show that format.
        Assert.DoesNotContain(fx.Result.Rows, r => r.Text.Contains("->", StringComparison.Ordinal) || (r.Title?.Contains("->", StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public void They_change_no_fact_mention_count_and_a_lighter_crawl_keeps_every_other_page()
    {
        // The notebook runs the pipeline live on Crawl.Generate(seed: 1, copyingPages: 2000): same facts, same other pages.
        var light = Crawl.Generate(CorpusBuild.DefaultSeed, copyingPages: 2000);
        var lightResult = new Pipeline().Run(light);
        var lightFacts = light.Facts.Count(light, lightResult.Rows.Select(r => r.Url));
        Assert.Equal(FactWorld.ToTsv(fx.Output.Facts), FactWorld.ToTsv(lightFacts));
        var others = fx.Crawl.Pages.Where(p => !Kinds.Contains(p.Kind)).Select(p => p.Url).ToList();
        Assert.Equal(others, light.Pages.Where(p => !Kinds.Contains(p.Kind)).Select(p => p.Url).ToList());
        foreach (var p in light.Pages.Where(p => Kinds.Contains(p.Kind)).Take(200))
            Assert.Equal(p.Html, fx.Crawl.Find(p.Url)!.Html);
        Assert.Equal(fx.Crawl.Count - CrawlConfig.DefaultCopyingPages + 2000, light.Count);
    }
}
