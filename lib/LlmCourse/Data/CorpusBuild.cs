using System.Globalization;
using System.Text;

namespace LlmCourse.Data;

/// <summary>
/// Builds what the course ships in data/ from a seed: the crawl is generated (not stored: it is
/// deterministic and takes about a second), run through the pipeline, and the outputs are written —
/// corpus.parquet, facts.tsv (fact mention counts after filtering) and crawl-manifest.tsv (the crawl's
/// fingerprint, page kinds and stage statistics, so a reader can see what the corpus came from).
/// `llmcourse data generate` calls this; running it again reproduces the files byte for byte.
/// </summary>
public static class CorpusBuild
{
    public const ulong DefaultSeed = 1;

    public sealed record Output(Crawl Crawl, PipelineResult Result, IReadOnlyList<FactCount> Facts);

    public static Output Run(ulong seed = DefaultSeed, int scale = 1)
    {
        var crawl = Crawl.Generate(seed, scale);
        var result = new Pipeline().Run(crawl);
        var facts = crawl.Facts.Count(crawl, result.Rows.Select(r => r.Url));
        return new Output(crawl, result, facts);
    }

    /// <summary>Write corpus.parquet, facts.tsv and crawl-manifest.tsv into a folder (data/ by default).</summary>
    public static Output Write(string? folder = null, ulong seed = DefaultSeed)
    {
        var output = Run(seed);
        WriteFiles(output, folder ?? CourseData.Directory);
        return output;
    }

    public static readonly IReadOnlyList<string> FileNames = ["corpus.parquet", "facts.tsv", "crawl-manifest.tsv"];

    /// <summary>
    /// Writes the three files. token_count is filled with the shipped course tokenizer when it exists (it is
    /// trained on the corpus texts, which token counts do not change; `llmcourse data tokenizer` refreshes
    /// the counts after training a new one).
    /// </summary>
    public static void WriteFiles(Output output, string folder)
    {
        Directory.CreateDirectory(folder);
        var tokenizerPath = CourseData.PathOf(Tokenization.CourseTokenizer.RelativePath);
        var tokenizer = File.Exists(tokenizerPath) ? Tokenization.CourseTokenizer.LoadShipped() : null;
        output.Result.WriteParquet(Path.Combine(folder, "corpus.parquet"), tokenizer);
        File.WriteAllText(Path.Combine(folder, "facts.tsv"), FactWorld.ToTsv(output.Facts));
        File.WriteAllText(Path.Combine(folder, "crawl-manifest.tsv"), Manifest(output));
    }

    /// <summary>The crawl's identity and the funnel, as a small text file (no timings: it must not change between runs).</summary>
    public static string Manifest(Output o)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# The toy crawl behind data/corpus.parquet. Regenerate with: ./llmcourse data generate");
        sb.AppendLine(inv, $"seed\t{o.Crawl.Config.Seed}");
        sb.AppendLine(inv, $"pages\t{o.Crawl.Count}");
        sb.AppendLine(inv, $"crawl_sha256\t{o.Crawl.Fingerprint()}");
        sb.AppendLine(inv, $"corpus_documents\t{o.Result.Rows.Count}");
        sb.AppendLine(inv, $"corpus_chars\t{o.Result.CorpusChars}");
        sb.AppendLine();
        sb.AppendLine("kind\tpages");
        foreach (var (kind, n) in o.Crawl.KindCounts) sb.AppendLine(inv, $"{kind}\t{n}");
        sb.AppendLine();
        sb.AppendLine("stage\tpages_in\tpages_out\tchars_in\tchars_out\tmodified");
        foreach (var s in o.Result.Stages) sb.AppendLine(inv, $"{s.Stage}\t{s.PagesIn}\t{s.PagesOut}\t{s.CharsIn}\t{s.CharsOut}\t{s.Modified}");
        sb.AppendLine();
        sb.AppendLine("stage\treason\tpages");
        foreach (var (stage, reason, pages) in o.Result.DropReasons) sb.AppendLine(inv, $"{stage}\t{reason}\t{pages}");
        return sb.ToString();
    }
}
