using LlmCourse.Tokenization;
using TiktokenTokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer;
using RegexPreTokenizer = Microsoft.ML.Tokenizers.RegexPreTokenizer;

namespace LlmCourse.Tests.Tokenization;

public class TokenizerFileTests
{
    static string SaveTrained(BpeTokenizer? tokenizer = null)
    {
        var path = TestPaths.TempFile("course.tiktoken");
        (tokenizer ?? TestTokenizers.Trained.WithSpecialTokens("<|endoftext|>")).Save(path);
        return path;
    }

    [Fact]
    public void Saved_tokenizer_loads_back_identical()
    {
        var original = TestTokenizers.Trained.WithSpecialTokens("<|endoftext|>");
        var loaded = BpeTokenizer.Load(SaveTrained(original));
        Assert.Equal(original.Merges, loaded.Merges);
        Assert.Equal(original.Pattern, loaded.Pattern);
        Assert.Equal(original.SpecialTokens, loaded.SpecialTokens);
        Assert.Equal(original.Name, loaded.Name);
        Assert.Equal(original.Encode(SampleTexts.Multilingual), loaded.Encode(SampleTexts.Multilingual));
    }

    [Fact]
    public void The_rank_file_is_tiktoken_format()
    {
        var lines = File.ReadAllLines(SaveTrained());
        Assert.Equal(1024, lines.Length);
        Assert.Equal("AA== 0", lines[0]);
        Assert.Equal("IA== 32", lines[32]);
        var (bytes, rank) = (Convert.FromBase64String(lines[300].Split(' ')[0]), int.Parse(lines[300].Split(' ')[1]));
        Assert.Equal(300, rank);
        Assert.Equal(TestTokenizers.Trained.TokenBytes(300), bytes);
    }

    [Fact]
    public void Microsoft_ML_Tokenizers_reading_our_file_gives_our_ids_on_multilingual_text()
    {
        var path = SaveTrained();
        var ours = TestTokenizers.Trained;
        // Microsoft.ML.Tokenizers directly, given the same split pattern.
        var theirs = TiktokenTokenizer.Create(path, new RegexPreTokenizer(SplitPatterns.Compile(ours.Pattern), null), null, null);
        var ids = ours.Encode(SampleTexts.Multilingual);
        Assert.True(ids.Count < SampleTexts.Multilingual.Length, "the trained tokenizer should actually merge");
        Assert.Equal(ids, theirs.EncodeToIds(SampleTexts.Multilingual));
        Assert.Equal(ids, TiktokenEncoding.FromFile(path).Encode(SampleTexts.Multilingual));
        // And on the text it was trained on, chunk by chunk.
        Assert.Equal(ours.Encode(TestTokenizers.TrainingText), theirs.EncodeToIds(TestTokenizers.TrainingText));
    }

    [Fact]
    public void Special_tokens_survive_the_trip_through_Microsoft_ML_Tokenizers()
    {
        var ours = TestTokenizers.Trained.WithSpecialTokens("<|endoftext|>");
        var theirs = TiktokenEncoding.FromFile(SaveTrained(ours));
        var text = "one<|endoftext|>two";
        Assert.Equal(ours.Encode(text, allowSpecial: true), theirs.Encode(text, allowSpecial: true));
        Assert.Equal(ours.Encode(text), theirs.Encode(text));
        Assert.Equal(1025, theirs.VocabSize);
    }

    [Theory]
    [InlineData(300, "not_base64!! 300", "line 301", "not valid base64")]
    [InlineData(300, "IHRoZQ==", "line 301", "expected")]
    [InlineData(300, "IHRoZQ== three", "line 301", "not a non-negative integer")]
    [InlineData(300, "IHRoZQ== 299", "line 301", "appears twice")]
    [InlineData(300, "AA== 300", "line 301", "the same bytes already have rank 0")]
    public void A_corrupted_line_gives_an_error_naming_the_file_and_line(int lineIndex, string replacement, string where, string what)
    {
        var path = SaveTrained();
        var lines = File.ReadAllLines(path);
        lines[lineIndex] = replacement;
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<InvalidDataException>(() => BpeTokenizer.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(where + ":", e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void A_truncated_file_gives_an_error_naming_the_line_where_it_ends()
    {
        var path = SaveTrained();
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length * 2 / 3)]);   // cut in the middle of a line
        var e = Assert.Throws<InvalidDataException>(() => BpeTokenizer.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Matches(@"line \d+:", e.Message);
        Assert.Contains("truncated", e.Message);

        // Cut cleanly at a line end: the sidecar knows how many tokens there should be.
        File.WriteAllLines(path, text.Split('\n')[..700]);
        e = Assert.Throws<InvalidDataException>(() => BpeTokenizer.Load(path));
        Assert.Contains("line 701: the file has 700 tokens but course.tiktoken.json says 1024", e.Message);
    }

    [Fact]
    public void Token_bytes_that_disagree_with_the_merge_list_name_the_line()
    {
        var path = SaveTrained();
        var lines = File.ReadAllLines(path);
        (lines[400], lines[401]) = (lines[401].Split(' ')[0] + " 400", lines[400].Split(' ')[0] + " 401");
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<InvalidDataException>(() => BpeTokenizer.Load(path));
        Assert.Contains("line 401:", e.Message);
    }

    [Fact]
    public void A_damaged_sidecar_gives_an_error_naming_its_line()
    {
        var path = SaveTrained();
        var sidecar = BpeTokenizer.SidecarPath(path);
        var lines = File.ReadAllLines(sidecar);
        lines[10] = lines[10].Replace(",", "");   // a missing comma in the merge list
        File.WriteAllLines(sidecar, lines);
        var e = Assert.Throws<InvalidDataException>(() => BpeTokenizer.Load(path));
        Assert.Contains(sidecar, e.Message);
        Assert.Contains("line 11:", e.Message);
    }

    [Fact]
    public void A_missing_sidecar_is_named()
    {
        var path = SaveTrained();
        File.Delete(BpeTokenizer.SidecarPath(path));
        var e = Assert.Throws<FileNotFoundException>(() => BpeTokenizer.Load(path));
        Assert.Contains("course.tiktoken.json", e.Message);
    }
}
