using LlmCourse.Data;
using LlmCourse.Modeling;
using LlmCourse.Reinforcement;
using LlmCourse.Tasks;
using LlmCourse.Tests.Support;
using TorchSharp;

namespace LlmCourse.Tests.Reinforcement;

/// <summary>Part 7's world of taste: the true preference, the biased labellers, the Bradley–Terry and DPO losses.</summary>
public class PreferenceTests
{
    static readonly PreferencePrompt Toast = new("toast", "Write a short toast for my sister Ana's wedding to Leo. Ana loves chess.", ["Ana", "Leo"], "chess");

    [Fact]
    public void TheTruePreferenceWantsPersonalBriefKindAndNoRoast()
    {
        var good = "To Ana and Leo. Ana taught me chess, and she never gives up. Congratulations to you both.";
        var generic = "A good wedding toast should be funny and memorable.";
        var roast = "To Ana and Leo. Let me tell you every embarrassing story about Ana.";
        var padded = string.Concat(Enumerable.Repeat("To Ana and Leo, what a truly wonderful and amazing day this is! ", 6));
        Assert.True(Preferences.TrueScore(Toast, good) > Preferences.TrueScore(Toast, generic));
        Assert.True(Preferences.TrueScore(Toast, good) > Preferences.TrueScore(Toast, roast));
        Assert.True(Preferences.TrueScore(Toast, good) > Preferences.TrueScore(Toast, padded));
    }

    [Fact]
    public void LabellersAreDeterministicGivenASeedAndLikeLongEnthusiasticReplies()
    {
        string[] replies = ["To Ana and Leo. Congratulations to you both.", "To Ana and Leo! What a truly wonderful, amazing day! Cheers to a perfect, beautiful couple! Absolutely fantastic!"];
        Assert.Equal(Preferences.Rank(3, Toast, replies, seed: 9).Order, Preferences.Rank(3, Toast, replies, seed: 9).Order);
        // Without noise the bias shows: the gushing reply wins with the labellers though the true preference disagrees.
        var quiet = new Rng(1);
        Assert.True(Preferences.LabellerScore(Toast, replies[1], quiet, noiseScale: 0) > Preferences.LabellerScore(Toast, replies[0], quiet, noiseScale: 0));
        Assert.True(Preferences.TrueScore(Toast, replies[0]) > Preferences.TrueScore(Toast, replies[1]));
    }

    [Fact]
    public void ARankingOfKRepliesGivesEveryPairWithTheWinnerFirst()
    {
        var ranking = new Ranking(0, ["a", "b", "c"], [2, 0, 1]);
        Assert.Equal([("c", "a"), ("c", "b"), ("a", "b")], Preferences.Pairs(ranking).Select(p => (p.Chosen, p.Rejected)));
    }

    [Fact]
    public void BradleyTerryPrefersTheChosenReply()
    {
        var chosen = torch.tensor(new[] { 2.0f, 0.5f });
        var rejected = torch.tensor(new[] { 0.0f, 0.5f });
        // −ln σ(2) and −ln σ(0), averaged; larger margins in the right direction lower the loss, and only differences count.
        var expected = (-Math.Log(1 / (1 + Math.Exp(-2))) + Math.Log(2)) / 2;
        Assert.Equal(expected, RewardModel.BradleyTerryLoss(chosen, rejected).item<float>(), 5);
        Assert.True(RewardModel.BradleyTerryLoss(chosen + 1, rejected).item<float>() < RewardModel.BradleyTerryLoss(chosen, rejected).item<float>());
        Assert.Equal(RewardModel.BradleyTerryLoss(chosen, rejected).item<float>(), RewardModel.BradleyTerryLoss(chosen + 7, rejected + 7).item<float>(), 5);
    }

    [Fact]
    public void TheDpoLossOnAFixedPair()
    {
        // Policy moved 1 nat towards the chosen reply and 1 away from the rejected one, β = 0.5: −ln σ(0.5 · 2) = −ln σ(1).
        var loss = Dpo.Loss(torch.tensor(new[] { -4.0f }), torch.tensor(new[] { -7.0f }), torch.tensor(new[] { -5.0f }), torch.tensor(new[] { -6.0f }), beta: 0.5);
        Assert.Equal(-Math.Log(1 / (1 + Math.Exp(-1))), loss.item<float>(), 5);
        // Unchanged from the reference, the loss is ln 2 whatever the replies' probabilities.
        var start = Dpo.Loss(torch.tensor(new[] { -3.0f }), torch.tensor(new[] { -9.0f }), torch.tensor(new[] { -3.0f }), torch.tensor(new[] { -9.0f }), beta: 0.1);
        Assert.Equal(Math.Log(2), start.item<float>(), 5);
    }

    [Fact]
    public void TheRewardModelScoresTheLastRealTokenOfEachSequence()
    {
        using var model = new RewardModel(new Gpt(Tiny.Config(), seed: 4));
        using (torch.no_grad()) foreach (var p in model.parameters()) p.normal_(0, 0.1);
        var alone = model.Score([[1, 2, 3]]);
        var padded = model.Score([[1, 2, 3], [4, 5, 6, 7, 8, 9]]);   // the first is right-padded in this batch
        Assert.Equal(alone[0], padded[0], 5);
    }

    [Fact]
    public void BestOfNKeepsTheProxysFavouriteAndItsKlBoundGrowsLikeLogN()
    {
        // Two prompts, four samples each: the proxy's favourite among the first n is kept, whatever its true score.
        double[] proxy = [0.1, 0.9, 0.5, 2.0, /* prompt 2 */ 1.0, 0.0, 3.0, 0.2];
        double[] truth = [1.0, 0.3, 0.7, -1.0, /* prompt 2 */ 0.5, 0.9, -0.5, 0.0];
        var curve = Rlhf.BestOf(proxy, truth, samplesPerPrompt: 4, ns: [1, 2, 4]);
        Assert.Equal([(1, 0.55, 0.75), (2, 0.95, 0.4), (4, 2.5, -0.75)], curve.Select(c => (c.N, Math.Round(c.Proxy, 6), Math.Round(c.True, 6))));
        Assert.Equal(0, Rlhf.BestOfNKlBound(1), 9);
        Assert.Equal(Math.Log(64) - 63.0 / 64, Rlhf.BestOfNKlBound(64), 9);
    }
}
