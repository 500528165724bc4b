using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tokenization;

namespace LlmCourse.Training;

/// <summary>
/// The recipe of the course's shipped base model: the course corpus, tokenized by the course BPE
/// tokenizer, pre-trains a <see cref="GptConfig.Shipped"/> GPT. `llmcourse train base` runs it; the
/// notebooks load its output with <see cref="LoadShipped"/>.
/// </summary>
public static class BaseModel
{
    public const string RelativePath = "models/base.ckpt";
    public const string EndOfText = "<|endoftext|>";

    /// <summary>
    /// 3,200 steps of 16 windows x 256 tokens ≈ 13M tokens: about two passes over the corpus (6.7M tokens), about
    /// 40 minutes on 2 cores. Few passes make memorising every sentence pay less than reading the context.
    /// </summary>
    public static TrainingConfig Training { get; } = new(Steps: 3200, BatchSize: 16, LearningRate: 1e-3, MinLearningRate: 1e-4,
        WarmupSteps: 100, EvalInterval: 100, EvalBatches: 8, Seed: 1337);

    public static GptConfig Config(ITokenizer tokenizer) => GptConfig.Shipped(tokenizer.VocabSize);

    /// <summary>
    /// The corpus as one token stream, as pre-training sees it: each document's tokens followed by
    /// &lt;|endoftext|&gt;, so the model learns where documents end (and starts a new one after it).
    /// </summary>
    public static int[] CorpusTokens(BpeTokenizer tokenizer, IEnumerable<CorpusRow>? rows = null)
    {
        var endOfText = tokenizer.SpecialTokens[EndOfText];
        var tokens = new List<int>();
        foreach (var row in rows ?? CorpusParquet.ReadShipped())
        {
            tokens.AddRange(tokenizer.Encode(row.Text));
            tokens.Add(endOfText);
        }
        return tokens.ToArray();
    }

    /// <summary>
    /// The induction score `train base` tracks at every evaluation step (recorded in the model card's curve): the
    /// same 50 random sequences each time, so the curve shows when copying from the context forms.
    /// </summary>
    public static Func<Gpt, double> InductionProbe(BpeTokenizer tokenizer) =>
        model => Evaluation.Induction.Measure(model, tokenizer.VocabSize - tokenizer.SpecialTokens.Count, tokenizer.SpecialTokens[EndOfText]).Score;

    /// <summary>The shipped base model with the course tokenizer, ready to generate.</summary>
    public static LanguageModel LoadShipped()
    {
        var tokenizer = CourseTokenizer.LoadShipped();
        var path = CourseData.PathOf(RelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The shipped base model {path} is missing: `./llmcourse train base` rebuilds it.", path);
        return LanguageModel.Load(path, tokenizer);
    }
}
