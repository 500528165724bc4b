using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using LlmCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Training;

public class MuonTests
{
    static TrainingConfig Quick(int steps) =>
        new(Steps: steps, BatchSize: 8, LearningRate: 3e-3, MinLearningRate: 3e-4, WarmupSteps: 5, EvalInterval: 10, EvalBatches: 2,
            Optimizer: Optimizer.Muon, MuonLearningRate: 0.02);

    static (TokenWindows Train, TokenWindows HeldOut) Data() => TokenWindows.Split(Tiny.Tokens(), 16);

    [Fact]
    public void OrthogonalizeIsTheQuinticIterationWrittenOut()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        var m = randn([3, 5], generator: g, dtype: ScalarType.Float64);

        // The same five steps as plain loops over a 3 x 5 matrix: X <- aX + b(XXᵀ)X + c(XXᵀ)²X.
        var x = new double[3, 5];
        var values = m.data<double>().ToArray();
        var norm = Math.Sqrt(values.Sum(v => v * v)) + 1e-7;
        for (var i = 0; i < 3; i++) for (var j = 0; j < 5; j++) x[i, j] = values[i * 5 + j] / norm;
        var (a, b, c) = Muon.Quintic;
        for (var step = 0; step < Muon.Steps; step++)
        {
            var xxt = Multiply(x, Transpose(x));
            var poly = Add(Scale(xxt, b), Scale(Multiply(xxt, xxt), c));
            x = Add(Scale(x, a), Multiply(poly, x));
        }

        var result = Muon.Orthogonalize(m).data<double>().ToArray();
        for (var i = 0; i < 3; i++) for (var j = 0; j < 5; j++) Assert.Equal(x[i, j], result[i * 5 + j], 1e-9);
        // A tall matrix is handled through its transpose.
        Assert.True((Muon.Orthogonalize(m.T) - Muon.Orthogonalize(m).T).abs().max().item<double>() < 1e-12);
    }

    [Theory]
    [InlineData(16, 48)]
    [InlineData(48, 16)]
    public void OrthogonalizeSetsEverySingularValueNearOneAndKeepsTheDirections(int rows, int columns)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(12);
        var m = randn([rows, columns], generator: g);
        var o = Muon.Orthogonalize(m);
        var singular = linalg.svdvals(o).data<float>().ToArray();
        Assert.All(singular, s => Assert.InRange(s, 0.6f, 1.25f));

        // Close in direction to U·Vᵀ, the exact orthogonalisation.
        var (u, _, vh) = linalg.svd(m, fullMatrices: false);
        var exact = u.matmul(vh);
        var cosine = (o * exact).sum() / (o.norm() * exact.norm());
        Assert.True(cosine.item<float>() > 0.95f, $"cosine {cosine.item<float>():F3}");
    }

    [Fact]
    public void AFewMuonStepsLowerTheLoss()
    {
        var (train, heldOut) = Data();
        using var model = new Gpt(Tiny.Config());
        using var trainer = new Trainer(model, train, heldOut, Quick(40));
        Assert.Contains("h.0.attn.c_attn.weight", trainer.MuonParameterNames);
        Assert.DoesNotContain("wte.weight", trainer.MuonParameterNames);
        Assert.DoesNotContain("h.0.attn.c_attn.weight", trainer.DecayedParameterNames);
        var before = trainer.Evaluate();
        trainer.Run();
        var after = trainer.Evaluate();
        Assert.True(after < before - 0.8, $"held-out loss went from {before:F3} to {after:F3}");
    }

    [Fact]
    public void AStoppedMuonRunResumesExactlyWhereItLeftOff()
    {
        var (train, heldOut) = Data();
        var config = Quick(10);
        var gpt = Tiny.Config() with { Positions = PositionEncoding.Rotary, Norm = Normalization.RmsNorm, TiedHead = false };

        using var straight = new Gpt(gpt);
        using var straightTrainer = new Trainer(straight, train, heldOut, config);
        var uninterrupted = straightTrainer.Run().Select(m => m.Loss).ToArray();

        var path = TestPaths.TempFile("muon.ckpt");
        using (var first = new Gpt(gpt))
        using (var firstTrainer = new Trainer(first, train, heldOut, config))
        {
            firstTrainer.Run(steps: 4);
            firstTrainer.Save(path, TokenizerIdentity.Of(CharTokenizer.Lowercase));
        }
        using var resumed = Trainer.Resume(path, train, heldOut);
        Assert.Equal(Optimizer.Muon, resumed.Config.Optimizer);
        resumed.Run();
        // Same batches, same learning rates, same AdamW moments and Muon momentum: the same numbers.
        Assert.Equal(uninterrupted, resumed.History.Select(m => m.Loss).ToArray());
        Assert.Equal(straight.NextTokenLogits([1, 2, 3]), resumed.Model.NextTokenLogits([1, 2, 3]));
        resumed.Model.Dispose();
    }

    [Fact]
    public void BadMuonSettingsAreRejectedWithTheirName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingConfig(10, MuonLearningRate: 0).Validate());
        Assert.Equal("MuonLearningRate", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingConfig(10, MuonMomentum: 1).Validate());
        Assert.Equal("MuonMomentum", error.ParamName);
    }

    static double[,] Multiply(double[,] p, double[,] q)
    {
        var r = new double[p.GetLength(0), q.GetLength(1)];
        for (var i = 0; i < p.GetLength(0); i++)
            for (var j = 0; j < q.GetLength(1); j++)
                for (var k = 0; k < p.GetLength(1); k++) r[i, j] += p[i, k] * q[k, j];
        return r;
    }

    static double[,] Transpose(double[,] p)
    {
        var r = new double[p.GetLength(1), p.GetLength(0)];
        for (var i = 0; i < p.GetLength(0); i++) for (var j = 0; j < p.GetLength(1); j++) r[j, i] = p[i, j];
        return r;
    }

    static double[,] Scale(double[,] p, double s)
    {
        var r = (double[,])p.Clone();
        for (var i = 0; i < p.GetLength(0); i++) for (var j = 0; j < p.GetLength(1); j++) r[i, j] *= s;
        return r;
    }

    static double[,] Add(double[,] p, double[,] q)
    {
        var r = (double[,])p.Clone();
        for (var i = 0; i < p.GetLength(0); i++) for (var j = 0; j < p.GetLength(1); j++) r[i, j] += q[i, j];
        return r;
    }
}
