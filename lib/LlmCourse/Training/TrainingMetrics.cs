namespace LlmCourse.Training;

/// <summary>What one training step did; the live loss chart and the progress bar draw from these.</summary>
/// <param name="Step">Steps completed so far (1 after the first).</param>
/// <param name="Loss">Training loss of this step's batch (mean cross-entropy, nats per token).</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="GradientNorm">The gradient's norm before clipping.</param>
/// <param name="Milliseconds">Wall time of the step (forward, backward, update).</param>
/// <param name="TokensPerSecond">Predictions learned from per second in this step.</param>
/// <param name="Tokens">Tokens trained on so far, this step included.</param>
/// <param name="ValidationLoss">Held-out loss, measured after this step on evaluation steps; null otherwise.</param>
/// <param name="Induction">On evaluation steps of a trainer with an <see cref="Trainer.InductionProbe"/>: the share of a
/// repeated random sequence's second copy the model predicts (copying from its context); null otherwise.</param>
public sealed record TrainingMetrics(
    int Step,
    double Loss,
    double LearningRate,
    double GradientNorm,
    double Milliseconds,
    double TokensPerSecond,
    long Tokens,
    double? ValidationLoss = null,
    double? Induction = null)
{
    public override string ToString() =>
        $"step {Step}: loss {Loss:F4}" + (ValidationLoss is { } v ? $", held-out {v:F4}" : "") +
        (Induction is { } i ? $", induction {i:P0}" : "") +
        $", lr {LearningRate:G3}, {TokensPerSecond:N0} tokens/s";
}
