using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

/// <summary>Tokenizers shared by the tests, trained once.</summary>
static class TestTokenizers
{
    /// <summary>Multilingual training text: generated English-like text plus every sample text.</summary>
    public static readonly string TrainingText = SyntheticText.Generate(300_000, seed: 7) + "\n\n" + SampleTexts.Multilingual;

    static readonly Lazy<BpeTokenizer> trained = new(() => BpeTokenizer.Train(TrainingText, 1024, SplitPatterns.Gpt4, "test BPE 1024"));

    /// <summary>GPT-4 split pattern, 1024 ids, with two special tokens.</summary>
    public static BpeTokenizer Trained => trained.Value;
}
