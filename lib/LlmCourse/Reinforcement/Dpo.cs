using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Reinforcement;

/// <summary>
/// Direct Preference Optimisation (Rafailov et al., 2023): learn from preference pairs without a reward model and
/// without sampling. The policy is pushed to raise the chosen reply's log-probability and lower the rejected one's,
/// each measured against a frozen copy of the starting model, so it cannot drift further than the pairs justify.
/// </summary>
public static class Dpo
{
    /// <summary>Total ln π(reply | prompt) of each row, with gradients: the sum over the reply's tokens.</summary>
    public static Tensor SequenceLogProbabilities(Gpt model, IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Reply)> rows)
    {
        var (logProbs, mask) = PolicyGradient.LogProbabilities(model, rows.Select((r, i) => new Attempt(i, r.Prompt, r.Reply, 0)).ToList());
        return (logProbs * mask).sum(1);
    }

    /// <summary>
    /// −ln σ(β · [(ln π(chosen) − ln π_ref(chosen)) − (ln π(rejected) − ln π_ref(rejected))]), averaged over pairs.
    /// β sets how strongly the policy is held to the reference (small β: free to move).
    /// </summary>
    public static Tensor Loss(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta) =>
        -torch.nn.functional.logsigmoid(beta * ((policyChosen - referenceChosen) - (policyRejected - referenceRejected))).mean();
}
