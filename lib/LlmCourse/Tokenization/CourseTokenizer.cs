using LlmCourse.Data;

namespace LlmCourse.Tokenization;

/// <summary>
/// The course's tokenizer: byte-level BPE with GPT-4's split pattern, trained on the part 2 corpus
/// (data/corpus.parquet) to <see cref="VocabSize"/> ids, plus &lt;|endoftext|&gt; after them. Shipped as
/// data/tokenizer/course-bpe.tiktoken (+ .json sidecar); `./llmcourse data tokenizer` rebuilds it
/// byte for byte. Later parts load it with <see cref="LoadShipped"/>.
/// </summary>
public static class CourseTokenizer
{
    public const int VocabSize = 4096;
    public const string EndOfText = "<|endoftext|>";
    public const string RelativePath = "tokenizer/course-bpe.tiktoken";

    /// <summary>The corpus as one training text: the documents in corpus order, a blank line between them.</summary>
    public static string TrainingText() => string.Join("\n\n", CorpusParquet.ReadShipped().Select(r => r.Text));

    /// <summary>Trains the course tokenizer (deterministic: the same text gives the same file).</summary>
    public static BpeTokenizer Train(string text, int vocabSize = VocabSize, Action<Merge>? onMerge = null) =>
        BpeTokenizer.Train(text, vocabSize, SplitPatterns.Gpt4, $"course BPE {vocabSize}", onMerge).WithSpecialTokens(EndOfText);

    /// <summary>The tokenizer shipped in data/tokenizer/.</summary>
    public static BpeTokenizer LoadShipped() => BpeTokenizer.Load(CourseData.PathOf(RelativePath));
}
