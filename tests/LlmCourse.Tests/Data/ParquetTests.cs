using DuckDB.NET.Data;
using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class ParquetTests
{
    static List<CorpusRow> Rows() =>
    [
        new() { Url = Crawl.SeedTravelUrl, Title = "A Quick Guide To European Capitals", Source = "Public travel notes · Geography basics", Text = "The capital of France is Paris.\n\nSecond paragraph.", Language = "en", LanguageScore = 0.9876 },
        new() { Url = "https://x.example/2", Title = null, Source = null, Text = "Grüße, café, 東京, emoji 🙂", Language = "en", LanguageScore = 0.7, TokenCount = 12 },
    ];

    [Fact]
    public void Rows_round_trip_through_parquet()
    {
        using var tmp = TestPaths.NewTempFolder();
        var path = tmp.File("c.parquet");
        CorpusParquet.Write(Rows(), path);
        var back = CorpusParquet.Read(path);
        Assert.Equal(2, back.Count);
        Assert.Equal(Rows().Select(r => (r.Url, r.Title, r.Source, r.Text, r.Language, r.LanguageScore, r.TokenCount)),
                     back.Select(r => (r.Url, r.Title, r.Source, r.Text, r.Language, r.LanguageScore, r.TokenCount)));
    }

    [Fact]
    public void Writing_the_same_rows_twice_gives_identical_bytes() =>
        Assert.Equal(CorpusParquet.ToBytes(Rows()), CorpusParquet.ToBytes(Rows()));

    [Fact]
    public void DuckDB_reads_our_parquet_with_FineWeb_style_columns()
    {
        using var tmp = TestPaths.NewTempFolder();
        var path = tmp.File("c.parquet");
        CorpusParquet.Write(Rows(), path);
        using var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT url, title, text, language, language_score, token_count FROM read_parquet('{path}') ORDER BY url";
        using var reader = cmd.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        Assert.Equal(["url", "title", "text", "language", "language_score", "token_count"], columns);
        Assert.True(reader.Read());
        Assert.Equal(Crawl.SeedTravelUrl, reader.GetString(0));
        Assert.Equal("The capital of France is Paris.\n\nSecond paragraph.", reader.GetString(2));
        Assert.Equal(0.9876, reader.GetDouble(4), 6);
        Assert.True(reader.IsDBNull(5));
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(1));
        Assert.Equal("Grüße, café, 東京, emoji 🙂", reader.GetString(2));
        Assert.Equal(12, reader.GetInt32(5));
        Assert.False(reader.Read());
    }

    [Fact]
    public void DuckDB_reads_the_shipped_corpus()
    {
        var path = TestPaths.InRepository("data", "corpus.parquet");
        using var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT count(*), sum(length(text)), min(language_score), count(DISTINCT language) FROM read_parquet('{path}')";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        var rows = CorpusParquet.Read(path);
        Assert.Equal(rows.Count, int.Parse(reader.GetValue(0).ToString()!));
        Assert.Equal(rows.Sum(r => (long)r.Text.Length), long.Parse(reader.GetValue(1).ToString()!));
        Assert.True(reader.GetDouble(2) > 0.65);
        Assert.Equal(1, int.Parse(reader.GetValue(3).ToString()!));
    }
}
