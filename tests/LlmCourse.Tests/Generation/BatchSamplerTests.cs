using LlmCourse.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Generation;

public class BatchSamplerTests
{
    static readonly float[] Logits = [1.0f, 3.0f, 2.5f, -1.0f, 0.0f, 2.9f];

    /// <summary>How often each token is drawn when <paramref name="rows"/> rows of the same scores are sampled at once.</summary>
    static (double[] Frequencies, float[] LogProbabilities, long[] Ids) Draw(Sampling sampling, int rows = 40_000, ulong seed = 1)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var logits = tensor(Logits).unsqueeze(0).expand(rows, Logits.Length).contiguous();
        var (ids, logProbabilities) = BatchSampler.Sample(logits, sampling, generator);
        var drawn = ids.data<long>().ToArray();
        var frequencies = new double[Logits.Length];
        foreach (var id in drawn) frequencies[id] += 1.0 / rows;
        return (frequencies, logProbabilities.data<float>().ToArray(), drawn);
    }

    public static TheoryData<double, int?, double?> Samplings => new()
    {
        { 1.0, null, null },
        { 0.5, null, null },
        { 2.0, 3, null },
        { 1.0, null, 0.7 },
        { 1.5, 4, 0.8 },
        { 1.0, 2, 0.99 },
    };

    [Theory]
    [MemberData(nameof(Samplings))]
    public void DrawsEachTokenAsOftenAsTheSamplersProbabilitiesSay(double temperature, int? topK, double? topP)
    {
        var sampling = new Sampling(temperature, topK, topP);
        var expected = Sampler.Probabilities(Logits, sampling);
        var (frequencies, logProbabilities, ids) = Draw(sampling);

        for (var id = 0; id < Logits.Length; id++)
        {
            if (expected[id] == 0) Assert.Equal(0, frequencies[id]);               // filtered out: never drawn
            else Assert.InRange(frequencies[id], expected[id] - 0.01, expected[id] + 0.01);
        }
        // Every draw reports the log of its token's probability under the same distribution.
        for (var i = 0; i < ids.Length; i += 997)
            Assert.Equal(Math.Log(expected[ids[i]]), logProbabilities[i], 4);
    }

    [Fact]
    public void GreedyTakesTheMostLikelyTokenWithCertainty()
    {
        foreach (var sampling in new[] { Sampling.Greedy, new Sampling(3.0, topK: 1) })
        {
            var (frequencies, logProbabilities, _) = Draw(sampling, rows: 50);
            Assert.Equal(1.0, frequencies[1], 9);
            Assert.All(logProbabilities, l => Assert.Equal(0f, l));
        }
    }

    [Fact]
    public void TheSameGeneratorSeedGivesTheSameDraws()
    {
        var sampling = new Sampling(1.2, topK: 4);
        Assert.Equal(Draw(sampling, 500, seed: 7).Ids, Draw(sampling, 500, seed: 7).Ids);
        Assert.NotEqual(Draw(sampling, 500, seed: 7).Ids, Draw(sampling, 500, seed: 8).Ids);
    }
}
