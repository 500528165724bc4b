using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using LlmCourse.Training;

namespace LlmCourse.Tests.Generation;

public sealed class BatchGeneratorTests(TrainedTinyModel trained) : IClassFixture<TrainedTinyModel>, IDisposable
{
    // Random weights where the draws' distribution is all that is checked; the trained model where greedy choices must be right.
    readonly Gpt model = new(Tiny.Config(context: 16), seed: 11);
    BatchGenerator generator => new(model);

    public void Dispose() => model.Dispose();

    // Lengths 3, 9, 1 and 6 in one batch: left padding of 6, 0, 8 and 3 slots.
    static readonly IReadOnlyList<IReadOnlyList<int>> Prompts =
        new[] { "the", "the cat s", "a", "a dog " }.Select(p => CharTokenizer.Lowercase.Encode(p)).ToArray();

    /// <summary>Greedy the plain way: the whole context through the model every step, no cache, no batch.</summary>
    static List<int> GreedyOneAtATime(Gpt model, IReadOnlyList<int> prompt, int maxNewTokens)
    {
        var context = prompt.ToList();
        var generated = new List<int>();
        while (generated.Count < maxNewTokens && context.Count < model.Config.ContextLength)
        {
            var next = Sampler.ArgMax(model.NextTokenLogits(context));
            generated.Add(next);
            context.Add(next);
        }
        return generated;
    }

    [Theory]
    [InlineData(0.0)]    // drop each finished row at once
    [InlineData(0.25)]   // the default
    [InlineData(2.0)]    // never drop: finished rows ride along to the end
    public void GreedyBatchedCachedGenerationMatchesGreedyOnePromptAtATimeWithoutACache(double compactAt)
    {
        var batched = new BatchGenerator(trained.Model) { CompactAt = compactAt }
            .Generate(Prompts, samplesPerPrompt: 2, maxNewTokens: 10, Sampling.Greedy);

        Assert.Equal(8, batched.Count);
        for (var i = 0; i < batched.Count; i++)
        {
            var c = batched[i];
            Assert.Equal((i / 2, i % 2), (c.Prompt, c.Sample));
            Assert.Equal(GreedyOneAtATime(trained.Model, Prompts[c.Prompt], 10), c.Tokens);
            Assert.Null(c.StopToken);
            Assert.All(c.LogProbabilities, l => Assert.Equal(0f, l));   // greedy: every choice was certain
        }
        // The 9-token prompt fills the 16-token context after 7 new tokens; the 6-token one ends at the limit exactly.
        Assert.Equal(new[] { 10, 10, 7, 7, 10, 10, 10, 10 }, batched.Select(c => c.Tokens.Count));
        Assert.Equal(FinishReason.Context, batched[2].Finish);
        Assert.Equal(FinishReason.Length, batched[6].Finish);
        Assert.Equal(10, batched.Steps);
    }

    [Fact]
    public void AStopTokenEndsTheRowsThatSampleItAndOnlyThose()
    {
        var prompts = new[] { "sat on the l", "cat saw the", "the", "the cat sat" }
            .Select(p => CharTokenizer.Lowercase.Encode(p)).ToArray();
        var stop = CharTokenizer.Lowercase.Encode(".")[0];
        var batch = new BatchGenerator(trained.Model);

        var free = batch.Generate(prompts, maxNewTokens: 10, sampling: Sampling.Greedy);
        var stopped = batch.Generate(prompts, maxNewTokens: 10, sampling: Sampling.Greedy, stopTokens: [stop]);

        var ended = new List<int>();
        for (var i = 0; i < prompts.Length; i++)
        {
            // Greedy rows do not depend on each other: each is its free run, cut at its first stop token.
            var at = free[i].Tokens.ToList().IndexOf(stop);
            if (at < 0)
            {
                Assert.Equal(free[i].Tokens, stopped[i].Tokens);
                Assert.Null(stopped[i].StopToken);
                Assert.Equal(free[i].Finish, stopped[i].Finish);
                continue;
            }
            ended.Add(at);
            Assert.Equal(free[i].Tokens.Take(at), stopped[i].Tokens);
            Assert.Equal(stop, stopped[i].StopToken);
            Assert.Equal(FinishReason.Stop, stopped[i].Finish);
            Assert.Equal(at + 1, stopped[i].LogProbabilities.Count);        // the choice to stop included
            Assert.Equal(free[i].Tokens.Take(at + 1), stopped[i].Sampled);
        }
        // Some rows stopped, at different steps, while others ran on to the limit.
        // (Here: "og." and " cat." stop after 2 and 4 tokens, " dog saw t" runs to the limit, " on t" fills the context.)
        var texts = string.Join(" / ", free.Select(c => CharTokenizer.Lowercase.Decode(c.Tokens)));
        Assert.True(ended.Count is > 0 and < 4, texts);
        Assert.True(ended.Distinct().Count() >= 2, texts);
    }

    [Fact]
    public void SampledRowsEndAtTheirOwnStopTokens()
    {
        var stop = CharTokenizer.Lowercase.Encode(".")[0];
        var completions = generator.Generate(Prompts, samplesPerPrompt: 6, maxNewTokens: 12, new Sampling(1.5), stopTokens: [stop], seed: 3);

        var stopped = completions.Where(c => c.Finish == FinishReason.Stop).ToList();
        Assert.NotEmpty(stopped);
        Assert.Contains(completions, c => c.Finish != FinishReason.Stop);
        Assert.All(completions, c => Assert.DoesNotContain(stop, c.Tokens));
        Assert.All(stopped, c => Assert.Equal(stop, c.StopToken));
        Assert.All(completions, c => Assert.Equal(c.Tokens.Count + (c.StopToken is null ? 0 : 1), c.LogProbabilities.Count));
        Assert.All(completions.Where(c => c.Finish == FinishReason.Length), c => Assert.Equal(12, c.Tokens.Count));
    }

    [Fact]
    public void ARowsSamplesDoNotDependOnWhenTheOtherRowsFinish()
    {
        // Dropping finished rows at once or never changes which rows share a step, not what any row draws.
        var stop = CharTokenizer.Lowercase.Encode(".")[0];
        var sampling = new Sampling(1.5, topK: 12);
        var dropped = new BatchGenerator(model) { CompactAt = 0 }.Generate(Prompts, 4, 12, sampling, [stop], seed: 3);
        var kept = new BatchGenerator(model) { CompactAt = 2 }.Generate(Prompts, 4, 12, sampling, [stop], seed: 3);

        Assert.Equal(dropped.Select(c => c.Sampled), kept.Select(c => c.Sampled));
        // (A smaller batch rounds a little differently in the matrix products; the tokens are the same.)
        Assert.All(dropped.Zip(kept), pair =>
            Assert.All(pair.First.LogProbabilities.Zip(pair.Second.LogProbabilities), l => Assert.Equal(l.First, l.Second, 4)));
        Assert.Contains(dropped, c => c.Finish == FinishReason.Stop && c.Tokens.Count > 0);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSamplesAndAnotherSeedOthers()
    {
        var sampling = new Sampling(1.0, topK: 20);
        var a = generator.Generate(Prompts, samplesPerPrompt: 3, maxNewTokens: 8, sampling, seed: 5);
        var b = generator.Generate(Prompts, samplesPerPrompt: 3, maxNewTokens: 8, sampling, seed: 5);
        var c = generator.Generate(Prompts, samplesPerPrompt: 3, maxNewTokens: 8, sampling, seed: 6);

        Assert.Equal(a.Select(x => x.Tokens), b.Select(x => x.Tokens));
        Assert.Equal(a.Select(x => x.LogProbabilities), b.Select(x => x.LogProbabilities));
        Assert.NotEqual(a.Select(x => x.Tokens), c.Select(x => x.Tokens));
        // Samples of one prompt differ from each other (they share its cache, not their draws).
        Assert.NotEqual(a[0].Tokens, a[1].Tokens);
    }

    public static TheoryData<double, int?, double?> Samplings => new()
    {
        { 1.0, null, null },
        { 0.7, 5, null },
        { 1.3, null, 0.8 },
        { 0.9, 8, 0.6 },
    };

    [Theory]
    [MemberData(nameof(Samplings))]
    public void EachTokensLogProbabilityIsItsProbabilityUnderTheSamplingUsed(double temperature, int? topK, double? topP)
    {
        var sampling = new Sampling(temperature, topK, topP);
        var completions = generator.Generate(Prompts, samplesPerPrompt: 2, maxNewTokens: 6, sampling, seed: 8);

        foreach (var c in completions)
        {
            var context = Prompts[c.Prompt].ToList();
            for (var i = 0; i < c.Tokens.Count; i++)
            {
                // The single-sequence sampler's distribution over the full-forward scores.
                var probabilities = Sampler.Probabilities(model.NextTokenLogits(context), sampling);
                Assert.True(probabilities[c.Tokens[i]] > 0, $"token {c.Tokens[i]} had probability 0 under {sampling}");
                Assert.Equal(Math.Log(probabilities[c.Tokens[i]]), c.LogProbabilities[i], 3);
                context.Add(c.Tokens[i]);
            }
        }
    }

    [Fact]
    public void APromptThatLeavesNoRoomInTheContextIsRejectedClearly()
    {
        var tooLong = Enumerable.Repeat(1, 16).ToArray();
        var e = Assert.Throws<ArgumentException>(() => generator.Generate([Prompts[0], tooLong], maxNewTokens: 4));
        Assert.Contains("Prompt 1 has 16 tokens", e.Message);
        Assert.Contains("context holds 16", e.Message);

        // One token shorter fits exactly one new token.
        var justFits = generator.Generate([tooLong[1..]], maxNewTokens: 4);
        Assert.Single(justFits[0].Tokens);
        Assert.Equal(FinishReason.Context, justFits[0].Finish);
    }

    [Fact]
    public void RejectsTokensOutsideTheVocabularyAndEmptyPrompts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([[3, 29]], maxNewTokens: 2));
        Assert.Throws<ArgumentException>(() => generator.Generate([[]], maxNewTokens: 2));
        Assert.Throws<ArgumentException>(() => generator.Generate([], maxNewTokens: 2));
    }

    [Fact]
    public void ZeroNewTokensGivesEmptyCompletions()
    {
        var none = generator.Generate(Prompts, samplesPerPrompt: 2, maxNewTokens: 0);
        Assert.Equal(8, none.Count);
        Assert.All(none, c => Assert.Empty(c.Tokens));
    }

    [Fact]
    public void LeavesATrainingModelInTrainingMode()
    {
        model.train();
        generator.Generate(Prompts, maxNewTokens: 2, sampling: Sampling.Greedy);
        Assert.True(model.training);
    }
}
