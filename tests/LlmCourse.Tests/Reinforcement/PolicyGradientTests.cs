using LlmCourse.Evaluation;
using LlmCourse.Modeling;
using LlmCourse.Reinforcement;
using LlmCourse.Tests.Support;
using TorchSharp;

namespace LlmCourse.Tests.Reinforcement;

/// <summary>The pieces of GRPO: group advantages, the per-token policy-gradient loss, pass@k.</summary>
public class PolicyGradientTests
{
    static Attempt A(int group, double reward, params int[] completion) => new(group, [1, 2, 3], completion, reward);

    [Fact]
    public void AdvantagesAreRewardsMinusTheGroupMeanAndUniformGroupsAreSkipped()
    {
        var (advantages, skipped) = PolicyGradient.Advantages([A(0, 1, 4), A(0, 0, 5), A(0, 0, 6), A(0, 1, 7), A(1, 1, 4), A(1, 1, 5)]);
        Assert.Equal([0.5, -0.5, -0.5, 0.5, 0, 0], advantages);
        Assert.Equal([false, false, false, false, true, true], skipped);   // group 1: both right, nothing to learn
    }

    [Fact]
    public void TheLossIsMinusAdvantageTimesLogProbAveragedOverWrittenTokens()
    {
        using var model = new Gpt(Tiny.Config(), seed: 2);
        Attempt[] batch = [A(0, 1, 4, 5), A(0, 0, 6)];
        var (logProbs, mask) = PolicyGradient.LogProbabilities(model, batch);

        // Only the written tokens count: the attempt of 2 tokens has 2 positions in the mask, the other 1.
        Assert.Equal([2f, 1f], mask.sum(1).data<float>().ToArray());
        // Prompt [1, 2, 3]: position t predicts token t + 1, so positions 2 and 3 predict attempt 0's tokens 4 and 5, position 2 attempt 1's 6.
        float Lp(int row, int t) => logProbs[row, t].item<float>();
        var expected = -(0.5 * (Lp(0, 2) + Lp(0, 3)) - 0.5 * Lp(1, 2)) / 3;
        Assert.Equal([0f, 0f, 1f, 1f], mask[0].data<float>().ToArray());
        Assert.Equal([0f, 0f, 1f, 0f], mask[1].data<float>().ToArray());
        Assert.Equal(expected, PolicyGradient.Loss(logProbs, mask, [0.5, -0.5]).item<float>(), 5);
    }

    [Fact]
    public void AStepOnTheLossMakesTheBetterAttemptLikelier()
    {
        using var model = new Gpt(Tiny.Config(), seed: 3);
        Attempt[] batch = [A(0, 1, 7, 8), A(0, 0, 9, 10)];
        double LogProb(int i) { using var _ = torch.no_grad(); var (lp, mk) = PolicyGradient.LogProbabilities(model, batch); return (lp * mk).sum(1)[i].item<float>(); }
        var (good, bad) = (LogProb(0), LogProb(1));
        using var optimizer = torch.optim.SGD(model.parameters(), 0.5);
        var (logProbs, mask) = PolicyGradient.LogProbabilities(model, batch);
        PolicyGradient.Loss(logProbs, mask, [0.5, -0.5]).backward();
        optimizer.step();
        Assert.True(LogProb(0) > good);
        Assert.True(LogProb(1) < bad);
    }

    [Theory]
    [InlineData(10, 0, 1, 0.0)]
    [InlineData(10, 10, 5, 1.0)]
    [InlineData(10, 3, 1, 0.3)]
    [InlineData(4, 1, 2, 0.5)]        // 1 − C(3,2)/C(4,2) = 1 − 3/6
    [InlineData(16, 2, 8, 0.76666667)] // 1 − C(14,8)/C(16,8) = 1 − 3003/12870
    public void PassAtKIsTheUnbiasedEstimate(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 6);
}
