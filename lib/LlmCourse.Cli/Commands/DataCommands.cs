using System.CommandLine;
using System.Diagnostics;
using LlmCourse.Data;

namespace LlmCourse.Cli.Commands;

/// <summary>`data generate`, `data crawl` and `bench pipeline`: the toy crawl and its FineWeb-style pipeline (part 2).</summary>
public static class DataCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Data.Subcommands.Add(Generate());
        groups.Data.Subcommands.Add(CrawlToFolder());
        groups.Bench.Subcommands.Add(BenchPipeline());
    }

    static Option<ulong> SeedOption() => new("--seed") { Description = "Seed of the toy crawl", DefaultValueFactory = _ => CorpusBuild.DefaultSeed };

    static Command Generate()
    {
        var seed = SeedOption();
        var output = new Option<string?>("--out") { Description = "Folder to write into (default: the repository's data/)" };
        var cmd = new Command("generate", "Generate the toy crawl, run the pipeline, write data/corpus.parquet, data/facts.tsv, data/crawl-manifest.tsv");
        cmd.Options.Add(seed);
        var verbose = new Option<bool>("--by-kind") { Description = "Also print where each kind of generated page ended up" };
        cmd.Options.Add(output);
        cmd.Options.Add(verbose);
        cmd.SetAction(parse =>
        {
            var folder = parse.GetValue(output) ?? CourseData.Directory;
            var sw = Stopwatch.StartNew();
            var o = CorpusBuild.Write(folder, parse.GetValue(seed));
            Console.WriteLine(o.Result);
            if (parse.GetValue(verbose))
                foreach (var (kind, outcome, n) in o.Result.OutcomesByKind(o.Crawl)) Console.WriteLine($"  {kind,-14} {n,5}  {outcome}");
            Console.WriteLine($"Fact world: {o.Facts.Count} facts; facts per mention bucket (after filtering):");
            foreach (var b in FactWorld.Buckets)
                Console.WriteLine($"  {b.Label,8}: {o.Facts.Count(f => f.Bucket == b.Label),4}");
            Console.WriteLine($"Wrote corpus.parquet, facts.tsv, crawl-manifest.tsv to {folder} in {sw.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        return cmd;
    }

    static Command CrawlToFolder()
    {
        var seed = SeedOption();
        var output = new Option<string>("--out") { Description = "Folder to write the HTML pages into", Required = true };
        var cmd = new Command("crawl", "Write the toy crawl's pages as .html files (plus index.tsv) to look at them in a browser");
        cmd.Options.Add(seed);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var crawl = Crawl.Generate(parse.GetValue(seed));
            using var index = new StreamWriter(Path.Combine(folder, "index.tsv"));
            index.WriteLine("file\tkind\turl");
            int i = 0;
            foreach (var page in crawl.Pages)
            {
                var file = $"{i++:D5}.html";
                File.WriteAllText(Path.Combine(folder, file), page.Html);
                index.WriteLine($"{file}\t{page.Kind}\t{page.Url}");
            }
            Console.WriteLine($"Wrote {crawl.Count} pages to {folder} (crawl sha256 {crawl.Fingerprint()})");
            return 0;
        });
        return cmd;
    }

    static Command BenchPipeline()
    {
        var scales = new Option<int[]>("--scales") { Description = "Crawl sizes to run, as multiples of the default crawl", DefaultValueFactory = _ => [1, 4, 16], AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("pipeline", "Run the data pipeline on the default crawl and on 4x and 16x larger ones; print pages/s per stage");
        cmd.Options.Add(scales);
        cmd.SetAction(parse =>
        {
            Console.WriteLine($"Pipeline benchmark on {Environment.ProcessorCount} cores (.NET {Environment.Version})");
            Console.WriteLine("The first run is cold (JIT compilation, first use of the parser); the ratios compare with a warm 1x run.");
            double? warmPerPage = null;
            var runs = new List<(string Label, int Scale)> { ("1x cold", 1), ("1x warm", 1) };
            runs.AddRange(parse.GetValue(scales)!.Where(s => s > 1).Select(s => ($"{s}x", s)));
            foreach (var (label, scale) in runs)
            {
                var sw = Stopwatch.StartNew();
                var crawl = Crawl.Generate(CorpusBuild.DefaultSeed, scale);
                var plan = sw.Elapsed;
                // Render the pages once up front so generation time is not charged to the pipeline.
                sw.Restart();
                long htmlChars = 0;
                foreach (var p in crawl.Pages) htmlChars += p.Html.Length;
                var render = sw.Elapsed;
                var result = new Pipeline().Run(crawl);
                Console.WriteLine();
                Console.WriteLine($"{label}: {crawl.Count:N0} pages ({htmlChars / 1e6:0.0} M chars of HTML); generating the crawl: plan {plan.TotalSeconds:0.00} s, render {render.TotalSeconds:0.00} s");
                Console.WriteLine($"  pipeline: {result.Elapsed.TotalSeconds:0.00} s total, {crawl.Count / result.Elapsed.TotalSeconds:N0} pages/s; {result.Rows.Count:N0} documents, {result.CorpusChars / 1e6:0.00} M chars");
                foreach (var s in result.Stages)
                    Console.WriteLine($"  {s.Stage,-16} {s.PagesIn,8:N0} pages in {s.Elapsed.TotalSeconds,7:0.000} s  {s.PagesPerSecond,10:N0} pages/s");
                var perPage = result.Elapsed.TotalMilliseconds / crawl.Count;
                if (label == "1x warm") warmPerPage = perPage;
                else if (scale > 1 && warmPerPage is double w)
                    Console.WriteLine($"  time per page vs warm 1x: {perPage / w:0.00}x (1.00 = perfectly linear)");
                GC.Collect();
            }
            return 0;
        });
        return cmd;
    }
}
