using LlmCourse.Generation;

namespace LlmCourse.Tests.Generation;

public class SamplerTests
{
    static readonly float[] Logits = [1.0f, 3.0f, 2.5f, -1.0f, 0.0f];   // token 1 is the favourite

    [Fact]
    public void TemperatureZeroAlwaysTakesTheMostLikelyToken()
    {
        var greedy = new Sampling(temperature: 0);
        Assert.Equal(new double[] { 0, 1, 0, 0, 0 }, Sampler.Probabilities(Logits, greedy));
        for (var seed = 0; seed < 50; seed++)
            Assert.Equal(1, Sampler.Sample(Logits, greedy, new Random(seed)));
    }

    [Fact]
    public void TopKOfOneIsGreedyWhateverTheTemperature()
    {
        var hot = new Sampling(temperature: 5, topK: 1);
        for (var seed = 0; seed < 50; seed++)
            Assert.Equal(1, Sampler.Sample(Logits, hot, new Random(seed)));
    }

    [Fact]
    public void ATinyTopPKeepsOnlyTheMostLikelyToken()
    {
        var p = Sampler.Probabilities(Logits, new Sampling(temperature: 2, topP: 1e-6));
        Assert.Equal(new double[] { 0, 1, 0, 0, 0 }, p);
    }

    [Fact]
    public void TopKKeepsTheKMostLikelyAndRenormalises()
    {
        var p = Sampler.Probabilities(Logits, new Sampling(topK: 2));
        Assert.Equal(0, p[0]); Assert.Equal(0, p[3]); Assert.Equal(0, p[4]);
        Assert.Equal(1.0, p[1] + p[2], 12);
        Assert.True(p[1] > p[2]);
        // A K larger than the vocabulary keeps everything.
        Assert.All(Sampler.Probabilities(Logits, new Sampling(topK: 100)), x => Assert.True(x > 0));
    }

    [Fact]
    public void TopPKeepsTheSmallestSetReachingP()
    {
        var full = Sampler.Probabilities(Logits, Sampling.Default);   // ~[.075, .552, .335, .010, .028]: ordered 1, 2, 0, 4, 3
        var p = Sampler.Probabilities(Logits, new Sampling(topP: full[1] + full[2] + 1e-9));
        Assert.True(p[0] > 0, "token 0 is needed to go past p");
        Assert.Equal(0, p[3]); Assert.Equal(0, p[4]);
        var exactly = Sampler.Probabilities(Logits, new Sampling(topP: full[1] + full[2] - 1e-9));
        Assert.Equal(0, exactly[0]);
        Assert.Equal(1.0, exactly.Sum(), 12);
    }

    [Fact]
    public void TemperatureFlattensOrSharpensTheMap()
    {
        double Top(double t) => Sampler.Probabilities(Logits, new Sampling(t))[1];
        Assert.True(Top(0.5) > Top(1.0));
        Assert.True(Top(1.0) > Top(2.0));
        Assert.InRange(Top(1000), 0.19, 0.21);   // very hot: nearly uniform over 5 tokens
    }

    [Fact]
    public void DrawsFollowTheProbabilities()
    {
        double[] probabilities = [0.5, 0.3, 0.2];
        var counts = new int[3];
        var random = new Random(42);
        for (var i = 0; i < 20_000; i++) counts[Sampler.Draw(probabilities, random)]++;
        for (var i = 0; i < 3; i++) Assert.InRange(counts[i] / 20_000.0, probabilities[i] - 0.015, probabilities[i] + 0.015);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ATemperatureBelowZeroOrNotANumberIsRejected(double temperature)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Sampling(temperature));
        Assert.Equal("Temperature", e.ParamName);
        Assert.Contains(">= 0", e.Message);
    }

    [Fact]
    public void TopKAndTopPOutOfRangeAreRejected()
    {
        Assert.Equal("TopK", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampling(topK: 0)).ParamName);
        Assert.Equal("TopP", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampling(topP: 0)).ParamName);
        Assert.Equal("TopP", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampling(topP: 1.5)).ParamName);
        // `with` goes through the same checks.
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Default with { Temperature = -1 });
    }
}
