using System.CommandLine;
using LlmCourse.Cli.Commands;
using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

/// <summary>`llmcourse data tokenizer` and `llmcourse bench tokenizer` on a small text.</summary>
public class TokenizerCommandTests
{
    static Task<int> Invoke(params string[] args)
    {
        var groups = new CommandGroups();
        TokenizerCommands.Register(groups);
        var root = new RootCommand { groups.Bench, groups.Data };
        return root.Parse(args).InvokeAsync();
    }

    [Fact]
    public async Task Data_tokenizer_trains_and_saves_a_loadable_tokenizer_and_bench_runs()
    {
        var text = TestPaths.TempFile("corpus.txt");
        File.WriteAllText(text, SyntheticText.Generate(100_000, seed: 5));
        var output = Path.Combine(Path.GetDirectoryName(text)!, "tok", "course-bpe.tiktoken");

        Assert.Equal(0, await Invoke("data", "tokenizer", "--text", text, "--vocab", "400", "--out", output));
        var tokenizer = BpeTokenizer.Load(output);
        Assert.Equal(401, tokenizer.VocabSize);   // 400 + <|endoftext|>
        Assert.Equal(400, tokenizer.SpecialTokens["<|endoftext|>"]);
        Assert.Equal(BpeTokenizer.Train(File.ReadAllText(text), 400).Merges, tokenizer.Merges);

        Assert.Equal(0, await Invoke("bench", "tokenizer", "--text", text, "--vocab", "300"));
    }
}
