using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Modeling;

/// <summary>The newer recipe's pieces: rotary positions, RMSNorm, QK-norm, ReLU², the untied head.</summary>
public class RecipeTests
{
    static GptConfig Recipe(bool tied = false) => Tiny.Config() with
    {
        Positions = PositionEncoding.Rotary, Norm = Normalization.RmsNorm, QkNorm = true,
        Activation = Activation.ReluSquared, TiedHead = tied,
    };

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>
    /// Large random weights everywhere, so every score depends strongly on every piece (the untied head starts
    /// near 0, and then any two forward paths would agree trivially).
    /// </summary>
    static Gpt Scrambled(GptConfig config)
    {
        var model = new Gpt(config);
        using var g = new Generator(7);
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.normal_(0.0, 0.3, g);
        model.eval();
        return model;
    }

    [Fact]
    public void RotaryTurnsEachPairByPositionTimesItsFrequency()
    {
        const int T = 5, D = 6;
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var x = randn([2, 1, T, D], generator: g);
        var rotary = new RotaryEmbedding(contextLength: 16, headSize: D);
        var positions = tensor(new long[,] { { 0, 1, 2, 3, 4 }, { 7, 8, 9, 10, 11 } });   // row 1 starts later
        var turned = rotary.Apply(x, positions);
        var same = rotary.Apply(x[..1], arange(T, dtype: ScalarType.Int64));              // [T] positions

        var input = x.data<float>().ToArray();
        var output = turned.data<float>().ToArray();
        for (var b = 0; b < 2; b++)
            for (var t = 0; t < T; t++)
                for (var i = 0; i < D / 2; i++)
                {
                    // Pair (i, i + D/2) turned by angle position · 10000^(-2i/D).
                    var angle = positions[b, t].item<long>() * Math.Pow(10_000, -2.0 * i / D);
                    int at(int d) => (b * T + t) * D + d;
                    double x1 = input[at(i)], x2 = input[at(i + D / 2)];
                    Assert.Equal(x1 * Math.Cos(angle) - x2 * Math.Sin(angle), output[at(i)], 1e-5);
                    Assert.Equal(x1 * Math.Sin(angle) + x2 * Math.Cos(angle), output[at(i + D / 2)], 1e-5);
                }
        Assert.True(MaxDifference(turned[..1], same) < 1e-6f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RotaryWithAKvCacheGivesTheSameLogitsAsTheFullForwardPass(bool fused)
    {
        using var model = Scrambled(Recipe());
        model.UseFusedAttention = fused;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g = new Generator(5);
        var tokens = randint(29, [1, 16], generator: g);
        var full = model.forward(tokens);

        using var cache = new KvCache(model.Config);
        var pieces = new List<Tensor> { model.Forward(tokens[.., ..5], cache), model.Forward(tokens[.., 5..8], cache) };
        for (var t = 8; t < 16; t++) pieces.Add(model.Forward(tokens[.., t..(t + 1)], cache));
        Assert.True(MaxDifference(full, cat(pieces, dim: 1)) < 1e-4f);
        Assert.True(full.abs().max().item<float>() > 1f);   // the scores are far from trivially small
    }

    [Fact]
    public void RotaryInTheBatchedCacheCountsEachLeftPaddedRowFromItsFirstToken()
    {
        using var model = Scrambled(Recipe());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g = new Generator(6);
        var longRow = randint(29, [1, 12], generator: g);
        var shortRow = randint(29, [1, 10], generator: g);   // 2 slots of left padding in the batch
        var fullLong = model.forward(longRow);
        var fullShort = model.forward(shortRow);

        // Prefill 6 slots: row 0 its first 6 tokens, row 1 two padding slots and its first 4.
        const int pad = 2, prompt = 6;
        var tokens = cat([longRow[.., ..prompt], cat([zeros(1, pad, dtype: ScalarType.Int64), shortRow[.., ..(prompt - pad)]], 1)], 0);
        var positions = tensor(new long[,] { { 0, 1, 2, 3, 4, 5 }, { 0, 0, 0, 1, 2, 3 } });
        var isPad = tensor(new[,] { { false, false, false, false, false, false }, { true, true, false, false, false, false } });
        // Causal, never to padding (a padding query sees itself only, so no row of the mask is empty).
        var causal = ones(prompt, prompt, dtype: ScalarType.Bool).tril();
        var mask = (causal & isPad.logical_not().unsqueeze(1)) | eye(prompt, dtype: ScalarType.Bool);
        using var cache = new BatchKvCache(model.Config, batch: 2, capacity: 12);
        var logits = model.Forward(tokens, positions, cache, mask.unsqueeze(1));
        Assert.True(MaxDifference(fullLong[0, prompt - 1], logits[0]) < 1e-4f);
        Assert.True(MaxDifference(fullShort[0, prompt - pad - 1], logits[1]) < 1e-4f);

        for (var slot = prompt; slot < 12; slot++)
        {
            var next = cat([longRow[.., slot..(slot + 1)], shortRow[.., (slot - pad)..(slot - pad + 1)]], 0);
            var at = tensor(new long[,] { { slot }, { slot - pad } });
            // The new token sees every filled slot and itself, except row 1's padding.
            var visible = new bool[2, slot + 1];
            for (var k = 0; k <= slot; k++) (visible[0, k], visible[1, k]) = (true, k >= pad);
            logits = model.Forward(next, at, cache, tensor(visible).view(2, 1, 1, slot + 1));
            Assert.True(MaxDifference(fullLong[0, slot], logits[0]) < 1e-4f);
            Assert.True(MaxDifference(fullShort[0, slot - pad], logits[1]) < 1e-4f);
        }
    }

    [Fact]
    public void RmsNormDividesByTheRootMeanSquare()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[,] { { 3, 4 }, { 1, -1 } });
        var y = new RmsNorm().forward(x).data<float>().ToArray();
        var rms0 = Math.Sqrt((9 + 16) / 2.0 + RmsNorm.Epsilon);
        var rms1 = Math.Sqrt((1 + 1) / 2.0 + RmsNorm.Epsilon);
        Assert.Equal(new[] { 3 / rms0, 4 / rms0, 1 / rms1, -1 / rms1 }, y.Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void ReluSquaredIsZeroBelowZeroAndTheSquareAbove()
    {
        using var scope = NewDisposeScope();
        var y = Mlp.Activate(tensor(new[] { -2f, -0.5f, 0f, 0.5f, 3f }), Activation.ReluSquared).data<float>().ToArray();
        Assert.Equal(new[] { 0f, 0f, 0f, 0.25f, 9f }, y);
    }

    [Fact]
    public void AnUntiedHeadAddsVocabTimesWidthAndRotaryDropsThePositionTable()
    {
        var config = Tiny.Config();
        using var gpt2 = new Gpt(config);
        using var untied = new Gpt(config with { TiedHead = false });
        using var rotary = new Gpt(config with { Positions = PositionEncoding.Rotary });
        using var rms = new Gpt(config with { Norm = Normalization.RmsNorm });
        Assert.Equal(gpt2.ParameterCount + config.VocabSize * config.Width, untied.ParameterCount);
        Assert.Equal(gpt2.ParameterCount - config.ContextLength * config.Width, rotary.ParameterCount);
        Assert.Equal(gpt2.ParameterCount - (2 * config.Layers + 1) * 2 * config.Width, rms.ParameterCount);   // no gains, no biases
        Assert.DoesNotContain(rotary.named_parameters(), p => p.name.StartsWith("wpe"));
        Assert.Contains(untied.named_parameters(), p => p.name == "lm_head.weight");
        // Untied, the token table is only a lookup: not counted with the matrix products.
        Assert.Equal(gpt2.NonEmbeddingParameterCount, untied.NonEmbeddingParameterCount);
        Assert.Equal(gpt2.NonEmbeddingParameterCount, rotary.NonEmbeddingParameterCount);
        var error = Assert.Throws<InvalidOperationException>(() => rotary.PositionEmbedding);
        Assert.Contains("rotary", error.Message);
        Assert.False(rotary.HasPositionTable);
    }

    [Fact]
    public void AnOldFormatCheckpointStillLoadsAsTheGpt2Shape()
    {
        // Checkpoints saved before the recipe options existed have headers without them: write one by taking
        // the options out of a GPT-2-shaped model's header.
        var path = TestPaths.TempFile("old-format.ckpt");
        using (var gpt2 = Scrambled(Tiny.Config())) Checkpoint.Save(path, gpt2, null);
        var bytes = File.ReadAllBytes(path);
        var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8, 4));
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(12, headerLength))!;
        var config = header["Config"]!.AsObject();
        foreach (var option in new[] { "Positions", "Norm", "QkNorm", "Activation", "TiedHead" })
            Assert.True(config.Remove(option), $"the header names {option}");
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
        File.WriteAllBytes(path, [.. bytes[..8], .. length, .. json, .. bytes[(12 + headerLength)..]]);

        using var model = Checkpoint.Load(path);
        Assert.Equal(Tiny.Config(), model.Config);
        Assert.True(model.HasPositionTable);
        Assert.Equal(PositionEncoding.Learned, model.Config.Positions);
        Assert.True(model.Config.TiedHead);
        Assert.DoesNotContain("rotary", model.Config.ToString());
    }

    [Fact]
    public void ARecipeCheckpointRoundTripsAndAMismatchNamesTheOptions()
    {
        var path = TestPaths.TempFile("recipe.ckpt");
        using var model = Scrambled(Recipe());
        Checkpoint.Save(path, model, null);
        using var loaded = Checkpoint.Load(path);
        Assert.Equal(model.Config, loaded.Config);
        Assert.Equal(model.NextTokenLogits([1, 2, 3]), loaded.NextTokenLogits([1, 2, 3]));
        Assert.Contains("rotary, RMSNorm, QK-norm, ReLU², untied head", loaded.Config.ToString());

        using var gpt2 = new Gpt(Tiny.Config());
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.LoadInto(gpt2, path));
        foreach (var name in new[] { "Positions", "Norm", "QkNorm", "Activation", "TiedHead" })
            Assert.Contains(name, error.Message);
    }

    [Fact]
    public void RotaryNeedsAnEvenHeadSize()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new GptConfig(29, Width: 30, Heads: 2, Positions: PositionEncoding.Rotary).Validate());
        Assert.Contains("even", error.Message);
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
