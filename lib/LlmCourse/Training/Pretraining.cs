using LlmCourse.Modeling;

namespace LlmCourse.Training;

/// <summary>
/// A whole pre-training run from a token stream to a saved base model, stoppable and resumable:
/// what `llmcourse train base` does once the corpus is tokenized.
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
        Action<TrainingMetrics>? progress = null, long seed = 1337, CancellationToken cancellation = default, bool halfPrecision = false)
    {
        if (saveEvery < 1) throw new ArgumentOutOfRangeException(nameof(saveEvery), saveEvery, "Save at least every so many steps (>= 1).");
        if (tokenizer.VocabSize > model.VocabSize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabSize} ids but the model only {model.VocabSize}.", nameof(tokenizer));
        var (train, heldOut) = TokenWindows.Split(tokens, model.ContextLength, validationFraction);
        var runFile = output + ".run";

        Trainer trainer;
        if (File.Exists(runFile))
        {
            trainer = Trainer.Resume(runFile, train, heldOut);
            if (trainer.Model.Config != model || trainer.Config != training)
            {
                var found = $"{trainer.Model.Config}, {trainer.Config}";
                trainer.Model.Dispose();
                trainer.Dispose();
                throw new CheckpointException(runFile,
                    $"it continues a run of {found}, not of {model}, {training}. Delete it to start over.");
            }
        }
        else trainer = new Trainer(new Gpt(model, seed), train, heldOut, training);

        using (trainer)
        {
            if (progress is not null) trainer.StepCompleted += progress;
            while (!trainer.IsFinished && !cancellation.IsCancellationRequested)
            {
                trainer.Run(saveEvery - trainer.Step % saveEvery, cancellation);
                trainer.Save(runFile, tokenizer);
            }
            if (!trainer.IsFinished) return trainer.Model;   // stopped: the run file holds the state
            Checkpoint.Save(output, trainer.Model, tokenizer, halfPrecision);
            File.Delete(runFile);
            return trainer.Model;
        }
    }
}
