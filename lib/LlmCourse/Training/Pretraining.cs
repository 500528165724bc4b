using LlmCourse.Modeling;

namespace LlmCourse.Training;

/// <summary>
/// A whole pre-training run from a token stream to a saved base model, stoppable and resumable (see
/// <see cref="TrainingRun"/>): what `llmcourse train base` does once the corpus is tokenized.
/// </summary>
public static class Pretraining
{
    /// <summary>
    /// Trains a <paramref name="model"/>-shaped GPT on <paramref name="tokens"/> (the last
    /// <paramref name="validationFraction"/> held out) and writes the weights to <paramref name="output"/>.
    /// Every <paramref name="saveEvery"/> steps the full run state goes to <c>output + ".run"</c>; if that
    /// file exists when this starts, the run continues from it (same config required), so an
    /// interrupted run loses at most <paramref name="saveEvery"/> steps. The run file is deleted at the end.
    /// <paramref name="halfPrecision"/> stores the final weights as float16 (half the file, for shipping).
    /// </summary>
    /// <returns>The trained model (the caller disposes it).</returns>
    public static Gpt Run(ReadOnlyMemory<int> tokens, GptConfig model, TrainingConfig training, string output,
        TokenizerIdentity tokenizer, double validationFraction = 0.05, int saveEvery = 500,
        Action<TrainingMetrics>? progress = null, long seed = 1337, CancellationToken cancellation = default, bool halfPrecision = false,
        Func<Gpt, double>? inductionProbe = null)
    {
        var (train, heldOut) = TokenWindows.Split(tokens, model.ContextLength, validationFraction);
        return TrainingRun.Run(model, () => new Gpt(model, seed), train, heldOut, training, output, tokenizer,
            new RunDescription("base", "./llmcourse train base"), saveEvery, progress, cancellation, halfPrecision, inductionProbe);
    }
}
