using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using LlmCourse.Training;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Training;

public class TrainerTests
{
    static TrainingConfig Quick(int steps, long seed = 1337) =>
        new(Steps: steps, BatchSize: 8, LearningRate: 3e-3, MinLearningRate: 3e-4, WarmupSteps: 5, EvalInterval: 10, EvalBatches: 2, Seed: seed);

    static (TokenWindows Train, TokenWindows HeldOut) Data(int context = 16) => TokenWindows.Split(Tiny.Tokens(), context);

    [Fact]
    public void LossFallsOnATinyCorpus()
    {
        var (train, heldOut) = Data();
        using var model = new Gpt(Tiny.Config());
        using var trainer = new Trainer(model, train, heldOut, Quick(60));
        var before = trainer.Evaluate();
        trainer.Run();
        var after = trainer.Evaluate();

        Assert.InRange(before, Math.Log(29) - 0.2, Math.Log(29) + 0.2);   // starts near uniform
        Assert.True(after < before - 1.0, $"held-out loss went from {before:F3} to {after:F3}");
        Assert.Equal(60, trainer.Step);
        Assert.Equal(60L * 8 * 16, trainer.Tokens);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRun()
    {
        double[] Losses(long seed)
        {
            var (train, heldOut) = Data();
            using var model = new Gpt(Tiny.Config(), seed: 5);
            using var trainer = new Trainer(model, train, heldOut, Quick(8, seed));
            return trainer.Run().Select(m => m.Loss).ToArray();
        }
        var first = Losses(1);
        Assert.Equal(first, Losses(1));
        Assert.NotEqual(first, Losses(2));
    }

    [Fact]
    public void AStoppedRunResumesExactlyWhereItLeftOff()
    {
        var (train, heldOut) = Data();
        var config = Quick(12);

        using var straight = new Gpt(Tiny.Config());
        using var straightTrainer = new Trainer(straight, train, heldOut, config);
        var uninterrupted = straightTrainer.Run().Select(m => m.Loss).ToArray();

        var path = TestPaths.TempFile("run.ckpt");
        using (var first = new Gpt(Tiny.Config()))
        using (var firstTrainer = new Trainer(first, train, heldOut, config))
        {
            firstTrainer.Run(steps: 5);
            firstTrainer.Save(path, TokenizerIdentity.Of(CharTokenizer.Lowercase));
        }
        Assert.True(Checkpoint.Read(path).HasOptimizerState);

        using var resumed = Trainer.Resume(path, train, heldOut);
        Assert.Equal(5, resumed.Step);
        resumed.Run();
        var losses = resumed.History.Select(m => m.Loss).ToArray();

        // Same batches, same learning rates, same optimizer moments: the same numbers.
        Assert.Equal(uninterrupted, losses);
        Assert.Equal(straight.NextTokenLogits([1, 2, 3]), resumed.Model.NextTokenLogits([1, 2, 3]));
        resumed.Model.Dispose();
    }

    [Fact]
    public void ResumingFromAWeightsOnlyCheckpointExplainsWhy()
    {
        var path = TestPaths.TempFile("weights.ckpt");
        using var model = new Gpt(Tiny.Config());
        Checkpoint.Save(path, model, null);
        var (train, heldOut) = Data();
        var e = Assert.Throws<CheckpointException>(() => Trainer.Resume(path, train, heldOut));
        Assert.Contains("no training state", e.Message);
    }

    [Fact]
    public void ReportsEveryStepAndTheHeldOutLossAtEachInterval()
    {
        var (train, heldOut) = Data();
        using var model = new Gpt(Tiny.Config());
        using var trainer = new Trainer(model, train, heldOut, Quick(25));
        var seen = new List<TrainingMetrics>();
        trainer.StepCompleted += seen.Add;
        trainer.Run();

        Assert.Equal(Enumerable.Range(1, 25), seen.Select(m => m.Step));
        Assert.Equal(new[] { 10, 20, 25 }, seen.Where(m => m.ValidationLoss is not null).Select(m => m.Step));
        Assert.All(seen, m => Assert.True(m.TokensPerSecond > 0 && m.GradientNorm > 0));

        var curve = trainer.LossCurve();
        Assert.Contains("step 25", curve.ToText());
        Assert.Contains("newPlot", curve.ToHtml());
        Assert.Contains("held-out", curve.ToHtml());
    }

    [Fact]
    public void LearningRateWarmsUpThenDecaysToTheMinimum()
    {
        var config = new TrainingConfig(Steps: 100, LearningRate: 1e-3, MinLearningRate: 1e-4, WarmupSteps: 10);
        Assert.True(config.LearningRateAt(0) < 2e-4);
        Assert.True(config.LearningRateAt(5) < config.LearningRateAt(9));
        Assert.Equal(1e-3, config.LearningRateAt(10), 12);
        Assert.True(config.LearningRateAt(50) < config.LearningRateAt(20));
        Assert.Equal(1e-4, config.LearningRateAt(99), 12);
    }

    [Fact]
    public void WeightDecayAppliesToMatricesOnly()
    {
        var windows = new TokenWindows(Tiny.Tokens(), 16);
        using var model = new Gpt(Tiny.Config());
        using var trainer = new Trainer(model, windows, null, Quick(1));
        var decayed = trainer.DecayedParameterNames;
        Assert.Contains("wte.weight", decayed);
        Assert.Contains("h.0.attn.c_attn.weight", decayed);
        Assert.Contains("h.1.mlp.c_proj.weight", decayed);
        Assert.DoesNotContain("h.0.ln_1.weight", decayed);
        Assert.DoesNotContain("h.0.attn.c_attn.bias", decayed);
        Assert.DoesNotContain("ln_f.bias", decayed);
        // 2 layers x 4 linear weights + the two embedding tables.
        Assert.Equal(10, decayed.Count);
    }

    [Fact]
    public void BadSettingsAreRejectedWithTheirName()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingConfig(10, BatchSize: 0).Validate()).ParamName);
        Assert.Equal("MinLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingConfig(10, LearningRate: 1e-3, MinLearningRate: 1e-2).Validate()).ParamName);
        var e = Assert.Throws<ArgumentException>(() => new TokenWindows(new int[10], 16));
        Assert.Contains("needs at least 17", e.Message);
    }
}
