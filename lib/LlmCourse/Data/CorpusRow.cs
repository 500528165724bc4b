using System.Text.Json.Serialization;
using Parquet;
using Parquet.Serialization;

namespace LlmCourse.Data;

/// <summary>
/// Step 6: one document of the corpus with its metadata, as FineWeb stores it (url, text, language,
/// language_score, token_count) plus the title and byline the extractor found. token_count is the
/// document's length in tokens of the course tokenizer (part 3); the pipeline leaves it null, and writing
/// the shipped corpus fills it.
/// </summary>
public sealed class CorpusRow
{
    [JsonPropertyName("url")] public string Url { get; set; } = "";
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    [JsonPropertyName("language")] public string Language { get; set; } = "";
    [JsonPropertyName("language_score")] public double LanguageScore { get; set; }
    [JsonPropertyName("token_count")] public int? TokenCount { get; set; }

    public override string ToString() => $"{Url} | {Title} | {Language} {LanguageScore:0.00} | {Text.Length:N0} chars";
}

/// <summary>Corpus rows to and from Parquet, the columnar file format FineWeb is published in.</summary>
public static class CorpusParquet
{
    /// <summary>Rows per row group: small enough that a reader can stream, large enough to compress well.</summary>
    public const int RowGroupSize = 1000;

    public static async Task WriteAsync(IEnumerable<CorpusRow> rows, Stream stream) =>
        await ParquetSerializer.SerializeAsync(rows, stream, new ParquetOptions { RowGroupSize = RowGroupSize, CompressionMethod = CompressionMethod.Snappy });

    /// <summary>Writes next to the target and renames, so an interrupted write never leaves half a corpus.</summary>
    public static void Write(IEnumerable<CorpusRow> rows, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = path + ".partial";
        using (var file = File.Create(partial))
            WriteAsync(rows, file).GetAwaiter().GetResult();
        File.Move(partial, path, overwrite: true);
    }

    public static byte[] ToBytes(IEnumerable<CorpusRow> rows)
    {
        using var ms = new MemoryStream();
        WriteAsync(rows, ms).GetAwaiter().GetResult();
        return ms.ToArray();
    }

    /// <summary>Read every row back (the corpus is a few MB; later parts read it whole).</summary>
    public static IReadOnlyList<CorpusRow> Read(string path)
    {
        using var file = File.OpenRead(path);
        var rows = ParquetSerializer.DeserializeAsync<CorpusRow>(file).GetAwaiter().GetResult();
        return [.. rows.Data];
    }

    /// <summary>Copies of the rows with token_count set to each text's length in <paramref name="tokenizer"/>'s tokens.</summary>
    public static IReadOnlyList<CorpusRow> WithTokenCounts(IEnumerable<CorpusRow> rows, Tokenization.ITokenizer tokenizer) =>
        rows.Select(r => new CorpusRow
        {
            Url = r.Url, Title = r.Title, Source = r.Source, Text = r.Text, Language = r.Language,
            LanguageScore = r.LanguageScore, TokenCount = tokenizer.Encode(r.Text).Count,
        }).ToList();

    /// <summary>The shipped corpus, data/corpus.parquet.</summary>
    public static IReadOnlyList<CorpusRow> ReadShipped() => Read(CourseData.PathOf("corpus.parquet"));
}
