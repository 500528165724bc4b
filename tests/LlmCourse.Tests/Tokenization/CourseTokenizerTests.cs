using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

/// <summary>The tokenizer shipped in data/tokenizer/: reproducible, and fit for the corpus it was trained on.</summary>
public class CourseTokenizerTests
{
    [Fact]
    public void Retraining_reproduces_the_shipped_tokenizer_files_byte_for_byte()
    {
        var path = TestPaths.TempFile("course-bpe.tiktoken");
        CourseTokenizer.Train(CourseTokenizer.TrainingText()).Save(path);
        foreach (var (shipped, fresh) in new[] { (CourseTokenizer.RelativePath, path), (BpeTokenizer.SidecarPath(CourseTokenizer.RelativePath), BpeTokenizer.SidecarPath(path)) })
            Assert.True(File.ReadAllBytes(TestPaths.InRepository("data", shipped)).SequenceEqual(File.ReadAllBytes(fresh)),
                $"data/{shipped} differs from what `./llmcourse data tokenizer` produces now; regenerate and commit it");
    }

    [Fact]
    public void The_shipped_tokenizer_compresses_the_corpus_and_round_trips_it()
    {
        var tokenizer = CourseTokenizer.LoadShipped();
        Assert.Equal(4097, tokenizer.VocabSize);
        Assert.Equal(4096, tokenizer.SpecialTokens[CourseTokenizer.EndOfText]);
        var text = CourseTokenizer.TrainingText();
        var ids = tokenizer.Encode(text);
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.True(text.Length / (double)ids.Count > 3.5, $"{text.Length / (double)ids.Count:F2} chars per token");
        Assert.Single(tokenizer.Encode(" the"));
    }
}
