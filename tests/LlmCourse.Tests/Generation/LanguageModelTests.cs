using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tests.Support;

namespace LlmCourse.Tests.Generation;

public sealed class LanguageModelTests : IDisposable
{
    readonly Gpt model = new(Tiny.Config(context: 16), seed: 3);
    readonly LanguageModel lm;

    public LanguageModelTests() => lm = new LanguageModel(model, CharTokenizer.Lowercase);

    public void Dispose() => model.Dispose();

    [Fact]
    public void TheProbabilityMapCoversTheVocabularyMostLikelyFirst()
    {
        var map = lm.ProbabilityMap("the cat", top: 5);
        Assert.Equal(29, map.Count);
        Assert.Equal(1.0, map.All.Sum(), 6);
        Assert.Equal(5, map.Top.Count);
        Assert.True(map.Top.Zip(map.Top.Skip(1)).All(p => p.First.Probability >= p.Second.Probability));
        Assert.Equal(map.All.Max(), map.Top[0].Probability);
        Assert.Equal(CharTokenizer.Lowercase.Decode([map.Top[0].Id]), map.Top[0].Text);
        Assert.Equal(map[CharTokenizer.Lowercase.Encode("a")[0]], map["a"]);
        Assert.Equal("the cat", map.ContextText);
        Assert.Contains(map.Top[0].Text, map.ToHtml());
    }

    [Fact]
    public void TheSameSeedGeneratesTheSameTextAndAnotherSeedDiffers()
    {
        var a = lm.Generate("the ", 40, seed: 1);
        Assert.Equal(40, a.Length);
        Assert.Equal(a, lm.Generate("the ", 40, seed: 1));
        Assert.NotEqual(a, lm.Generate("the ", 40, seed: 2));
    }

    [Fact]
    public void StreamingYieldsTheGeneratedTextPieceByPiece()
    {
        var sampling = new Sampling(0.8, topK: 10);
        var pieces = lm.Stream("the dog", 25, sampling, seed: 9).ToList();
        Assert.Equal(25, pieces.Count);
        Assert.Equal(lm.Generate("the dog", 25, sampling, seed: 9), string.Concat(pieces.Select(p => p.Text)));
        Assert.All(pieces, p => Assert.InRange(p.Probability, 1e-12, 1));
    }

    [Fact]
    public void CachedGenerationMatchesRecomputingTheWindowEveryStepEvenPastTheContext()
    {
        // 5 prompt tokens + 30 generated: the 16-token window slides well past its end.
        var prompt = CharTokenizer.Lowercase.Encode("the c").ToList();
        var generated = lm.Stream(prompt, 30, Sampling.Greedy).Select(t => t.Id).ToList();

        var context = new List<int>(prompt);
        for (var i = 0; i < 30; i++)
        {
            var next = Sampler.ArgMax(model.NextTokenLogits(context));   // crops to the last 16 tokens itself
            Assert.Equal(next, generated[i]);
            context.Add(next);
        }
    }

    [Fact]
    public void StopTokensEndGenerationEarly()
    {
        var full = lm.Stream("the", 40, seed: 4).Select(t => t.Id).ToList();
        var stop = full[10];
        var stopped = lm.Stream("the", 40, seed: 4, stopTokens: [stop]).Select(t => t.Id).ToList();
        Assert.Equal(full.TakeWhile(id => id != stop), stopped);
    }

    [Fact]
    public void TheTraceShowsEachStepsContextMapAndChoice()
    {
        var trace = lm.Trace("the ca", steps: 4, seed: 5);
        Assert.Equal(4, trace.Steps.Count);
        var context = "the ca";
        foreach (var step in trace.Steps)
        {
            Assert.Equal(context, step.Map.ContextText);
            Assert.Equal(step.Map[step.Chosen.Id], step.Chosen.Probability);
            context += step.Chosen.Text;
        }
        Assert.Equal(context, trace.Text);
        Assert.Equal(trace.Text, "the ca" + lm.Generate("the ca", 4, seed: 5));
        Assert.Contains("chose", trace.ToText());
    }

    [Fact]
    public void InvalidArgumentsFailAtTheCallWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => lm.Stream("the", -1));
        Assert.Equal("maxTokens", e.ParamName);
        Assert.Contains("negative", e.Message);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => lm.Generate("", 5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.ProbabilityMap("the", top: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.ProbabilityMap("the", temperature: -1));
        Assert.Contains("outside the model's vocabulary", Assert.Throws<ArgumentOutOfRangeException>(() => lm.ProbabilityMap([3, 99])).Message);
        Assert.Contains("only knows 29",
            Assert.Throws<ArgumentException>(() => new LanguageModel(model, new CharTokenizer(new string(Enumerable.Range(0, 40).Select(i => (char)('!' + i)).ToArray())))).Message);
    }

    [Fact]
    public void TheAttentionHeatmapShowsOneHeadOfOneLayer()
    {
        var heatmap = lm.Attention("the cat sat", layer: 1, head: 0);
        Assert.Equal(11, heatmap.Labels.Count);
        Assert.Equal("2:e", heatmap.Labels[2]);
        Assert.Contains("\"heatmap\"", heatmap.ToHtml());
        Assert.Equal(0f, heatmap.Map[0, 5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.Attention("the", layer: 2));
    }
}
