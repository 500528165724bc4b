using LlmCourse.Modeling;

namespace LlmCourse.Training;

/// <summary>What a finished run is, for its model card.</summary>
/// <param name="Model">Short name ("base", "assistant").</param>
/// <param name="Command">The command that rebuilds it.</param>
/// <param name="StartedFrom">The checkpoint a fine-tuning run starts from; null when training from scratch.</param>
/// <param name="TrainedTokensPerStep">Tokens the loss trains per step, when a mask makes it fewer than all (null: all).</param>
public sealed record RunDescription(string Model, string Command, string? StartedFrom = null, double? TrainedTokensPerStep = null);

/// <summary>
/// A whole training run to a saved model, stoppable and resumable: pre-training (`llmcourse train base`) and
/// fine-tuning (`train sft`, and the later parts' runs) are the same loop on different batches.
/// </summary>
public static class TrainingRun
{
    /// <summary>
    /// Trains the model <paramref name="start"/> builds on <paramref name="train"/> and writes it to <paramref name="output"/>,
    /// with its model card beside it. Every <paramref name="saveEvery"/> steps the full run state goes to
    /// <c>output + ".run"</c>; if that file exists when this starts, the run continues from it (same model shape and
    /// recipe required), so an interrupted run loses at most <paramref name="saveEvery"/> steps. The run file is
    /// deleted at the end. <paramref name="halfPrecision"/> stores the final weights as float16 (for shipping).
    /// </summary>
    /// <returns>The trained model (the caller disposes it).</returns>
    public static Gpt Run(GptConfig config, Func<Gpt> start, IBatchSource train, IBatchSource? validation, TrainingConfig training,
        string output, TokenizerIdentity tokenizer, RunDescription description, int saveEvery = 500, Action<TrainingMetrics>? progress = null,
        CancellationToken cancellation = default, bool halfPrecision = false, Func<Gpt, double>? inductionProbe = null)
    {
        if (saveEvery < 1) throw new ArgumentOutOfRangeException(nameof(saveEvery), saveEvery, "Save at least every so many steps (>= 1).");
        if (tokenizer.VocabSize > config.VocabSize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabSize} ids but the model only {config.VocabSize}.", nameof(tokenizer));
        var runFile = output + ".run";

        Trainer trainer;
        if (File.Exists(runFile))
        {
            trainer = Trainer.Resume(runFile, train, validation);
            if (trainer.Model.Config != config || trainer.Config != training)
            {
                var found = $"{trainer.Model.Config}, {trainer.Config}";
                trainer.Model.Dispose();
                trainer.Dispose();
                throw new CheckpointException(runFile,
                    $"it continues a run of {found}, not of {config}, {training}. Delete it to start over.");
            }
        }
        else
        {
            var model = start();
            if (model.Config != config) throw new ArgumentException($"The start model is a {model.Config}, not the {config} the run expects.", nameof(start));
            trainer = new Trainer(model, train, validation, training);
        }

        using (trainer)
        {
            trainer.InductionProbe = inductionProbe;
            if (progress is not null) trainer.StepCompleted += progress;
            while (!trainer.IsFinished && !cancellation.IsCancellationRequested)
            {
                trainer.Run(saveEvery - trainer.Step % saveEvery, cancellation);
                trainer.Save(runFile, tokenizer);
            }
            if (!trainer.IsFinished) return trainer.Model;   // stopped: the run file holds the state
            Checkpoint.Save(output, trainer.Model, tokenizer, halfPrecision);
            Card(trainer, description).Save(output);
            File.Delete(runFile);
            return trainer.Model;
        }
    }

    static ModelCard Card(Trainer trainer, RunDescription d)
    {
        var history = trainer.History;
        var last = history[^1];
        return new ModelCard(d.Model, d.Command, trainer.Model.Config, trainer.Model.ParameterCount, d.StartedFrom, trainer.Step,
            trainer.Config.BatchSize, trainer.Tokens, d.TrainedTokensPerStep is { } perStep ? (long)(perStep * trainer.Step) : null,
            Math.Round(history.Sum(m => m.Milliseconds) / 1000, 1), TorchSharp.torch.get_num_threads(),
            Math.Round(last.Loss, 4), history.LastOrDefault(m => m.ValidationLoss is not null)?.ValidationLoss is { } v ? Math.Round(v, 4) : null,
            DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            history.Where(m => m.ValidationLoss is not null)
                .Select(m => new CardPoint(m.Step, m.Tokens, Math.Round(m.Loss, 4), Math.Round(m.ValidationLoss!.Value, 4),
                    m.Induction is { } i ? Math.Round(i, 4) : null)).ToList());
    }
}
