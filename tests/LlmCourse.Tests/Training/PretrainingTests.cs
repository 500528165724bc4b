using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using LlmCourse.Training;

namespace LlmCourse.Tests.Training;

public class PretrainingTests
{
    static readonly TokenizerIdentity Lowercase = TokenizerIdentity.Of(CharTokenizer.Lowercase);
    static readonly TrainingConfig Config = new(Steps: 10, BatchSize: 4, WarmupSteps: 2, EvalInterval: 5, EvalBatches: 1);

    [Fact]
    public void AnInterruptedRunContinuesFromItsRunFileToTheSameModel()
    {
        var tokens = Tiny.Tokens(10);
        var straightPath = TestPaths.TempFile("straight.ckpt");
        using var straight = Pretraining.Run(tokens, Tiny.Config(), Config, straightPath, Lowercase, saveEvery: 4);

        var path = TestPaths.TempFile("interrupted.ckpt");
        using var stop = new CancellationTokenSource();
        using (Pretraining.Run(tokens, Tiny.Config(), Config, path, Lowercase, saveEvery: 4,
                   progress: m => { if (m.Step == 6) stop.Cancel(); }, cancellation: stop.Token)) { }
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(path + ".run"));

        var resumedSteps = new List<int>();
        using var resumed = Pretraining.Run(tokens, Tiny.Config(), Config, path, Lowercase, saveEvery: 4, progress: m => resumedSteps.Add(m.Step));
        Assert.Equal(new[] { 7, 8, 9, 10 }, resumedSteps);
        Assert.False(File.Exists(path + ".run"));
        Assert.Null(Checkpoint.Read(path).TrainingState);   // the shipped file holds weights only
        Assert.Equal(straight.NextTokenLogits([1, 2, 3]), Checkpoint.Load(path).NextTokenLogits([1, 2, 3]));
    }

    [Fact]
    public void ARunFileOfAnotherConfigIsNotSilentlyContinued()
    {
        var tokens = Tiny.Tokens(10);
        var path = TestPaths.TempFile("other.ckpt");
        using var stop = new CancellationTokenSource();
        using (Pretraining.Run(tokens, Tiny.Config(), Config, path, Lowercase, saveEvery: 2,
                   progress: m => { if (m.Step == 2) stop.Cancel(); }, cancellation: stop.Token)) { }

        var e = Assert.Throws<CheckpointException>(() => Pretraining.Run(tokens, Tiny.Config(), Config with { Steps = 20 }, path, Lowercase));
        Assert.Contains("Delete it to start over", e.Message);
    }

    [Fact]
    public void TheModelCardKeepsTheCurveOfEvaluationStepsWithTheInductionScore()
    {
        var path = TestPaths.TempFile("curve.ckpt");
        var probed = new List<int>();
        using (Pretraining.Run(Tiny.Tokens(10), Tiny.Config(), Config, path, Lowercase,
                   inductionProbe: m => { probed.Add(probed.Count); return 0.25; })) { }

        var card = ModelCard.Load(path);
        Assert.NotNull(card.Curve);
        Assert.Equal(new[] { 5, 10 }, card.Curve!.Select(p => p.Step));   // every EvalInterval, and the last step
        Assert.All(card.Curve, p => Assert.Equal(0.25, p.Induction));
        Assert.All(card.Curve, p => Assert.NotNull(p.HeldOutLoss));
        Assert.Equal(2, probed.Count);                                       // only on evaluation steps
    }
}
