using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Generation;

/// <summary>
/// <see cref="Sampler"/> for a whole batch at once, in torch: a row of scores per sequence in, one token
/// per row out, with the log-probability it had under the distribution it was actually drawn from
/// (after temperature, top-k and top-p) — what a policy-gradient update needs.
/// </summary>
public static class BatchSampler
{
    /// <param name="logits">[rows, VocabSize] scores.</param>
    /// <param name="sampling">Temperature, top-k, top-p; temperature 0 (or top-k 1) is greedy.</param>
    /// <param name="generator">The only source of randomness: the same generator state gives the same draws.</param>
    /// <returns>Ids [rows] (int64) and their log-probabilities [rows] (float32; 0 when greedy: the choice was certain).</returns>
    public static (Tensor Ids, Tensor LogProbabilities) Sample(Tensor logits, Sampling sampling, Generator generator) =>
        Sample(logits, sampling, IsGreedy(sampling) ? null : rand(logits.shape[0], generator: generator));

    /// <summary>The same, with the randomness given: one uniform number in [0, 1) per row decides its draw.</summary>
    /// <param name="uniform">[rows] float32 in [0, 1); may be null when <paramref name="sampling"/> is greedy.</param>
    public static (Tensor Ids, Tensor LogProbabilities) Sample(Tensor logits, Sampling sampling, Tensor? uniform)
    {
        var (rows, vocabulary) = (logits.shape[0], logits.shape[1]);
        // Greedy: the most likely token (the lowest id on a tie, as torch's argmax and Sampler.ArgMax both pick).
        if (IsGreedy(sampling))
            return (logits.argmax(-1), zeros(rows));
        if (uniform is null) throw new ArgumentNullException(nameof(uniform), $"Sampling with {sampling} needs a random number per row.");

        var scaled = sampling.Temperature == 1 ? logits : logits / sampling.Temperature;
        var scores = scaled;

        // The candidates. Top-k keeps the k best, most likely first; top-p needs that order too. With both,
        // top-p works on the k survivors: the same tokens as on the whole vocabulary, sorting 50 instead of 4,097.
        Tensor? candidates = null;                               // [rows, kept] token ids; null = every id, in id order
        if (sampling.TopK is int k && k < vocabulary) (scores, candidates) = scores.topk(k);
        else if (sampling.TopP is not null) (scores, candidates) = scores.sort(dim: -1, descending: true, stable: true);

        if (sampling.TopP is double p && p < 1)
        {
            // Nucleus: the smallest set of most likely tokens reaching p. A token is dropped when the ones
            // before it already reach p, so the first always stays. As in Sampler, p is measured on the whole
            // vocabulary's probabilities (not renormalised after top-k): the smaller of the two sets wins.
            var probabilities = (scores - scaled.logsumexp(-1, keepdim: true)).exp();
            var before = probabilities.cumsum(-1) - probabilities;
            scores = scores.masked_fill(before >= p, double.NegativeInfinity);
        }

        var logProbabilities = scores.log_softmax(-1);

        // Inverse-CDF draw, as Sampler.Draw does it: one uniform number per row, and the first candidate whose
        // cumulative probability passes it. (Scaled by the total so rounding can never push it past the end.)
        var cumulative = logProbabilities.exp().cumsum(-1);
        var total = cumulative.narrow(-1, cumulative.shape[1] - 1, 1);
        var choice = (cumulative <= uniform.unsqueeze(1) * total).sum(-1, keepdim: true);   // [rows, 1] index among candidates

        var ids = candidates is null ? choice : candidates.gather(-1, choice);
        return (ids.squeeze(-1), logProbabilities.gather(-1, choice).squeeze(-1));
    }

    /// <summary>Whether <paramref name="sampling"/> always takes the most likely token (no randomness involved).</summary>
    public static bool IsGreedy(Sampling sampling) => sampling.Temperature == 0 || sampling.TopK == 1;
}
