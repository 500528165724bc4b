using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using LlmCourse.Training;

namespace LlmCourse.Tests.Generation;

/// <summary>
/// The tiny GPT trained for 200 steps on <see cref="Tiny.Text"/> (a few seconds), shared by a test class.
/// A random model's greedy choice is mostly the token it was just fed (its tied embedding matches
/// itself best), which no position or cache mistake would change; a trained one writes "the dog sat on
/// the log." and needs every position right to do so.
/// </summary>
public sealed class TrainedTinyModel : IDisposable
{
    public TrainedTinyModel()
    {
        Model = new Gpt(Tiny.Config(context: 16), seed: 2);
        var (train, heldOut) = TokenWindows.Split(Tiny.Tokens(), 16);
        using var trainer = new Trainer(Model, train, heldOut,
            new TrainingConfig(Steps: 200, BatchSize: 8, LearningRate: 1e-2, MinLearningRate: 1e-3, WarmupSteps: 5, EvalInterval: 1000, EvalBatches: 1));
        trainer.Run();
    }

    public Gpt Model { get; }

    public void Dispose() => Model.Dispose();
}
