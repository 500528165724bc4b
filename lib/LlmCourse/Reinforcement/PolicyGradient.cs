using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Reinforcement;

/// <summary>One sampled attempt at a prompt: the prompt's tokens, the tokens the policy wrote (its stop token included), and their reward.</summary>
public sealed record Attempt(int Group, IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion, double Reward);

/// <summary>
/// The pieces of a policy-gradient step on sampled attempts, as GRPO simplified by nanochat uses them: advantages
/// relative to the group of attempts at the same prompt, the log-probabilities of the tokens the policy wrote, and
/// the loss that makes better-than-average attempts likelier and worse ones rarer.
/// </summary>
public static class PolicyGradient
{
    /// <summary>
    /// Each attempt's reward minus the mean reward of its group (the attempts at the same prompt). A group whose
    /// attempts all scored the same teaches nothing — every advantage would be 0 — so it is reported as skipped.
    /// </summary>
    public static (double[] Advantages, bool[] Skipped) Advantages(IReadOnlyList<Attempt> attempts)
    {
        var advantages = new double[attempts.Count];
        var skipped = new bool[attempts.Count];
        foreach (var group in attempts.Select((a, i) => (a, i)).GroupBy(x => x.a.Group))
        {
            var mean = group.Average(x => x.a.Reward);
            var uniform = group.All(x => x.a.Reward == group.First().a.Reward);
            foreach (var (a, i) in group)
            {
                advantages[i] = a.Reward - mean;
                skipped[i] = uniform;
            }
        }
        return (advantages, skipped);
    }

    /// <summary>
    /// ln π(token) for every token each attempt wrote, with gradients: the attempts right-padded into one batch and
    /// run through the model once. Returns log-probabilities [attempts, length] and a mask that is 1 exactly at the
    /// written tokens (0 at the prompt and the padding).
    /// </summary>
    public static (Tensor LogProbs, Tensor Mask) LogProbabilities(Gpt model, IReadOnlyList<Attempt> attempts)
    {
        var length = attempts.Max(a => a.Prompt.Count + a.Completion.Count) - 1;
        if (length + 1 > model.Config.ContextLength + 1)
            throw new ArgumentException($"An attempt of {length + 1} tokens does not fit the model's context of {model.Config.ContextLength}.", nameof(attempts));
        var input = new long[attempts.Count * length];
        var target = new long[attempts.Count * length];
        var mask = new float[attempts.Count * length];
        for (var b = 0; b < attempts.Count; b++)
        {
            var tokens = attempts[b].Prompt.Concat(attempts[b].Completion).ToArray();
            for (var t = 0; t + 1 < tokens.Length; t++)
            {
                input[b * length + t] = tokens[t];
                target[b * length + t] = tokens[t + 1];
                // Position t predicts token t + 1: written by the policy if it lies past the prompt.
                mask[b * length + t] = t + 1 >= attempts[b].Prompt.Count ? 1 : 0;
            }
        }
        long[] shape = [attempts.Count, length];
        var logits = model.forward(tensor(input, shape));
        var logProbs = logits.log_softmax(-1).gather(-1, tensor(target, shape).unsqueeze(-1)).squeeze(-1);
        return (logProbs, tensor(mask, shape));
    }

    /// <summary>
    /// The policy-gradient loss: −Σ advantage · ln π(token) over every written token, divided by the number of
    /// written tokens (each token weighs the same, however long its attempt). Minimising it raises the probability of
    /// tokens in better-than-average attempts and lowers it in worse ones.
    /// </summary>
    public static Tensor Loss(Tensor logProbs, Tensor mask, IReadOnlyList<double> advantages)
    {
        var a = tensor(advantages.Select(x => (float)x).ToArray()).unsqueeze(1);   // [attempts, 1]
        return -(logProbs * mask * a).sum() / mask.sum().clamp_min(1);
    }

    /// <summary>
    /// How far the policy has moved from a reference model on the written tokens: the mean of
    /// exp(r) − r − 1 with r = ln π_ref − ln π (an estimate of KL(π ‖ π_ref) that is never negative).
    /// </summary>
    public static Tensor KlToReference(Tensor logProbs, Tensor referenceLogProbs, Tensor mask)
    {
        var r = referenceLogProbs - logProbs;
        return ((r.exp() - r - 1) * mask).sum() / mask.sum().clamp_min(1);
    }
}
