using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Modeling;

public class GptTests
{
    static Tensor Tokens(long seed, int batch, int length, int vocab)
    {
        using var g = new Generator((ulong)seed);
        return randint(vocab, [batch, length], generator: g);
    }

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void GivesOneScorePerVocabularyTokenAtEveryPosition()
    {
        using var model = new Gpt(Tiny.Config());
        using var scope = NewDisposeScope();
        var logits = model.forward(Tokens(1, batch: 3, length: 7, vocab: 29));
        Assert.Equal(new long[] { 3, 7, 29 }, logits.shape);
    }

    [Fact]
    public void ParameterCountMatchesThePyTorchReference()
    {
        // ref_gpt.py --layers 4 --heads 4 --dim 128 --ctx 128 --vocab 512 reports params=875264
        // (tied head counted once). Untied weights would add 512 x 128 = 65,536.
        using var model = new Gpt(GptConfig.Live(512));
        Assert.Equal(875_264, model.ParameterCount);
        Assert.Equal(875_264 - 128 * 128, model.NonEmbeddingParameterCount);
    }

    [Fact]
    public void AFutureTokenCannotChangeEarlierPredictions()
    {
        using var model = new Gpt(Tiny.Config());
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = Tokens(2, batch: 2, length: 12, vocab: 29);
        var changed = tokens.clone();
        changed[.., 8] = (changed[.., 8] + 5) % 29;   // change only position 8

        foreach (var fused in new[] { true, false })
        {
            model.UseFusedAttention = fused;
            var before = model.forward(tokens);
            var after = model.forward(changed);
            Assert.Equal(0f, MaxDifference(before[.., ..8], after[.., ..8]));          // positions 0..7 untouched
            Assert.True(MaxDifference(before[.., 8..], after[.., 8..]) > 1e-4f);       // 8 onwards see the change
        }
    }

    [Fact]
    public void FusedAttentionComputesTheSameAsTheWrittenOutSteps()
    {
        using var model = new Gpt(Tiny.Config());
        using var scope = NewDisposeScope();
        var tokens = Tokens(3, batch: 2, length: 16, vocab: 29);
        var targets = Tokens(4, batch: 2, length: 16, vocab: 29);

        model.UseFusedAttention = true;
        var fusedLogits = model.forward(tokens);
        var fusedLoss = model.Loss(tokens, targets);
        fusedLoss.backward();
        var fusedGrad = model.TokenEmbedding.grad!.clone();
        model.zero_grad();

        model.UseFusedAttention = false;
        var writtenLogits = model.forward(tokens);
        var writtenLoss = model.Loss(tokens, targets);
        writtenLoss.backward();
        var writtenGrad = model.TokenEmbedding.grad!.clone();

        Assert.True(MaxDifference(fusedLogits, writtenLogits) < 1e-5f);
        Assert.True(MaxDifference(fusedGrad, writtenGrad) < 1e-5f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KvCacheGivesTheSameLogitsAsTheFullForwardPass(bool fused)
    {
        using var model = new Gpt(Tiny.Config());
        model.eval();
        model.UseFusedAttention = fused;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = Tokens(5, batch: 1, length: 16, vocab: 29);
        var full = model.forward(tokens);

        // Prompt of 5, then 3 tokens at once (the offset-mask path), then one at a time to the full context.
        using var cache = new KvCache(model.Config);
        var pieces = new List<Tensor> { model.Forward(tokens[.., ..5], cache), model.Forward(tokens[.., 5..8], cache) };
        for (var t = 8; t < 16; t++) pieces.Add(model.Forward(tokens[.., t..(t + 1)], cache));
        var cached = cat(pieces, dim: 1);

        Assert.Equal(16, cache.Length);
        Assert.True(MaxDifference(full, cached) < 1e-5f);
    }

    [Fact]
    public void RejectsAWindowLongerThanTheContext()
    {
        using var model = new Gpt(Tiny.Config(context: 8));
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => model.forward(Tokens(6, 1, 9, 29)));
        Assert.Contains("context of 8", e.Message);

        using var cache = new KvCache(model.Config);
        model.Forward(Tokens(7, 1, 6, 29), cache);
        Assert.Throws<ArgumentException>(() => model.Forward(Tokens(8, 1, 3, 29), cache));
    }

    [Fact]
    public void AnUntrainedModelPredictsNearlyUniformProbabilities()
    {
        // GPT-2's small initial weights: every token gets about 1/V, so the loss starts near ln V.
        using var model = new Gpt(GptConfig.Live(512));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var loss = model.Loss(Tokens(9, 4, 64, 512), Tokens(10, 4, 64, 512)).item<float>();
        Assert.InRange(loss, Math.Log(512) - 0.1, Math.Log(512) + 0.1);
    }

    [Fact]
    public void InitialisationScalesResidualProjectionsByDepth()
    {
        using var model = new Gpt(new GptConfig(512, ContextLength: 64, Layers: 8, Heads: 4, Width: 128));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double Std(string name) => parameters[name].std().item<float>();
        Assert.InRange(Std("wte.weight"), 0.019, 0.021);
        Assert.InRange(Std("h.0.attn.c_attn.weight"), 0.019, 0.021);
        Assert.InRange(Std("h.0.attn.c_proj.weight"), 0.02 / 4 * 0.95, 0.02 / 4 * 1.05);   // 0.02 / sqrt(2 x 8)
        Assert.InRange(Std("h.7.mlp.c_proj.weight"), 0.02 / 4 * 0.95, 0.02 / 4 * 1.05);
        Assert.Equal(0f, parameters["h.0.attn.c_attn.bias"].abs().max().item<float>());
        Assert.Equal(1f, parameters["h.0.ln_1.weight"].min().item<float>());
    }

    [Fact]
    public void TheSameSeedBuildsTheSameModel()
    {
        using var a = new Gpt(Tiny.Config(), seed: 7);
        using var b = new Gpt(Tiny.Config(), seed: 7);
        using var c = new Gpt(Tiny.Config(), seed: 8);
        Assert.Equal(a.NextTokenLogits([1, 2, 3]), b.NextTokenLogits([1, 2, 3]));
        Assert.NotEqual(a.NextTokenLogits([1, 2, 3]), c.NextTokenLogits([1, 2, 3]));
    }

    [Fact]
    public void AttentionWeightsAreCausalAndEachRowSumsToOne()
    {
        using var model = new Gpt(Tiny.Config());
        var weights = model.Attention([3, 1, 4, 1, 5, 9, 2, 6]);
        Assert.Equal(2, weights.Layers);
        Assert.Equal(2, weights.Heads);
        for (var layer = 0; layer < 2; layer++)
            for (var head = 0; head < 2; head++)
            {
                var map = weights.Map(layer, head);
                for (var q = 0; q < 8; q++)
                {
                    var row = 0.0;
                    for (var k = 0; k < 8; k++)
                    {
                        if (k > q) Assert.Equal(0f, map[q, k]);
                        row += map[q, k];
                    }
                    Assert.Equal(1.0, row, 5);
                }
            }
        // The first token can only look at itself.
        Assert.Equal(1f, weights[1, 1, 0, 0], 5);
    }

    [Fact]
    public void ConfigRejectsWidthThatHeadsCannotShare()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Gpt(new GptConfig(29, Heads: 3, Width: 32)));
        Assert.Contains("multiple of Heads", e.Message);
    }
}
