namespace LlmCourse.Generation;

/// <summary>From the model's scores to one chosen token, as <see cref="Sampling"/> says.</summary>
public static class Sampler
{
    /// <summary>
    /// The probability of each token under <paramref name="sampling"/>: softmax of logits / temperature,
    /// with tokens outside top-k / top-p set to 0 and the rest renormalised. Temperature 0 puts all the
    /// probability on the most likely token (the lowest id on a tie).
    /// </summary>
    public static double[] Probabilities(ReadOnlySpan<float> logits, Sampling sampling)
    {
        if (logits.Length == 0) throw new ArgumentException("There are no scores to sample from.", nameof(logits));
        var probabilities = new double[logits.Length];
        if (sampling.Temperature == 0 || sampling.TopK == 1)
        {
            probabilities[ArgMax(logits)] = 1;
            return probabilities;
        }

        // Softmax of logits / T. Subtracting the maximum first keeps exp() from overflowing.
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
            sum += probabilities[i] = Math.Exp((logits[i] - max) / sampling.Temperature);
        for (var i = 0; i < probabilities.Length; i++) probabilities[i] /= sum;

        if (sampling.TopK is null && sampling.TopP is null) return probabilities;

        // Most likely first (lowest id first on a tie), then keep a prefix.
        var order = Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
        var keep = Math.Min(sampling.TopK ?? order.Length, order.Length);
        if (sampling.TopP is { } p)
        {
            var cumulative = 0.0;
            for (var n = 0; n < keep; n++)
            {
                cumulative += probabilities[order[n]];
                // The smallest prefix reaching p; always at least one token.
                if (cumulative >= p) { keep = n + 1; break; }
            }
        }
        var kept = 0.0;
        for (var n = 0; n < keep; n++) kept += probabilities[order[n]];
        for (var n = 0; n < order.Length; n++)
            probabilities[order[n]] = n < keep ? probabilities[order[n]] / kept : 0;
        return probabilities;
    }

    /// <summary>Draws one token id from <paramref name="probabilities"/> with <paramref name="random"/>.</summary>
    public static int Draw(ReadOnlySpan<double> probabilities, Random random)
    {
        var r = random.NextDouble();
        var cumulative = 0.0;
        var last = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0) continue;
            cumulative += probabilities[i];
            last = i;
            if (r < cumulative) return i;
        }
        // Rounding can leave the sum a hair under 1: the draw then falls on the last possible token.
        return last >= 0 ? last : throw new ArgumentException("No token has a positive probability.", nameof(probabilities));
    }

    /// <summary>One token chosen from the scores as <paramref name="sampling"/> says.</summary>
    public static int Sample(ReadOnlySpan<float> logits, Sampling sampling, Random random) =>
        sampling.Temperature == 0 || sampling.TopK == 1 ? ArgMax(logits) : Draw(Probabilities(logits, sampling), random);

    /// <summary>The id with the highest score (the lowest id on a tie).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }
}
