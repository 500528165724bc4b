using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Modeling;

public class BatchKvCacheTests
{
    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void WritingInPlaceGivesTheSameScoresAsTheFullForwardPass()
    {
        using var model = new Gpt(Tiny.Config());
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g = new Generator(4);
        var tokens = randint(29, [3, 12], generator: g);
        var full = model.forward(tokens);                                   // [3, 12, 29]

        using var cache = new BatchKvCache(model.Config, batch: 3, capacity: 12);
        // A 5-token prefill (causal mask spelled out), then one token at a time with no mask at all.
        var causal = ones(5, 5, dtype: ScalarType.Bool).tril().expand(3, 1, 5, 5);
        var positions = arange(5, dtype: ScalarType.Int64).expand(3, 5);
        var logits = model.Forward(tokens[.., ..5], positions, cache, causal);
        Assert.True(MaxDifference(full[.., 4], logits) < 1e-5f);
        for (var t = 5; t < 12; t++)
        {
            logits = model.Forward(tokens[.., t..(t + 1)], full_like(tokens[.., ..1], t), cache, null);
            Assert.True(MaxDifference(full[.., t], logits) < 1e-5f);
        }
        Assert.Equal(12, cache.Length);
        Assert.Throws<InvalidOperationException>(() => model.Forward(tokens[.., ..1], full_like(tokens[.., ..1], 0), cache, null));
    }

    [Fact]
    public void KeepingAndRepeatingRowsCarriesTheirKeysAndValues()
    {
        using var model = new Gpt(Tiny.Config());
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g = new Generator(5);
        var tokens = randint(29, [3, 8], generator: g);
        var full = model.forward(tokens);
        var causal = ones(6, 6, dtype: ScalarType.Bool).tril().expand(3, 1, 6, 6);

        using var cache = new BatchKvCache(model.Config, batch: 3, capacity: 8);
        model.Forward(tokens[.., ..6], arange(6, dtype: ScalarType.Int64).expand(3, 6), cache, causal);

        // Rows 2 and 0, in that order; then each of them twice.
        cache.KeepRows(tensor(new long[] { 2, 0 }));
        using var repeated = cache.RepeatRows(2);
        Assert.Equal((2, 4, 6), (cache.Batch, repeated.Batch, repeated.Length));
        var rows = tensor(new long[] { 2, 2, 0, 0 });
        var next = tokens.index_select(0, rows)[.., 6..7];
        var logits = model.Forward(next, full_like(next, 6), repeated, null);
        Assert.True(MaxDifference(full.index_select(0, rows)[.., 6], logits) < 1e-5f);
    }
}
