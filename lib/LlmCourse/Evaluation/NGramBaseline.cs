namespace LlmCourse.Evaluation;

/// <summary>
/// A counting model of text: the probability of the next token from how often it followed the previous
/// two tokens (trigram), the previous one (bigram), or at all (unigram) in the training text, mixed with
/// fixed weights. No neural network, no training beyond counting. Its held-out loss says how predictable
/// a corpus is in itself: on templated text it is low, and a neural network's low loss on the same text
/// is then no surprise.
/// </summary>
public sealed class NGramBaseline
{
    // Mixing weights for trigram, bigram, unigram and uniform estimates (Jelinek-Mercer smoothing). When a
    // context was never seen, its weight goes to the lower orders, so the mix is always a distribution.
    static readonly double[] Weights = [0.6, 0.3, 0.09, 0.01];

    readonly int vocabSize;
    readonly Dictionary<long, int> trigrams = [], bigrams = [], trigramContexts = [], bigramContexts = [];
    readonly int[] unigrams;
    readonly long total;

    public NGramBaseline(ReadOnlySpan<int> training, int vocabSize)
    {
        this.vocabSize = vocabSize;
        unigrams = new int[vocabSize];
        for (var i = 0; i < training.Length; i++)
        {
            unigrams[training[i]]++;
            if (i >= 1) { Bump(bigrams, Key(training[i - 1], training[i])); Bump(bigramContexts, training[i - 1]); }
            if (i >= 2) { Bump(trigrams, Key(training[i - 2], training[i - 1], training[i])); Bump(trigramContexts, Key(training[i - 2], training[i - 1])); }
        }
        total = training.Length;
    }

    /// <summary>P(next | a, b), the mixed estimate.</summary>
    public double Probability(int a, int b, int next)
    {
        var tri = trigramContexts.GetValueOrDefault(Key(a, b));
        var bi = bigramContexts.GetValueOrDefault(b);
        double[] estimates =
        [
            tri == 0 ? double.NaN : (double)trigrams.GetValueOrDefault(Key(a, b, next)) / tri,
            bi == 0 ? double.NaN : (double)bigrams.GetValueOrDefault(Key(b, next)) / bi,
            (double)unigrams[next] / total,
            1.0 / vocabSize,
        ];
        double p = 0, weight = 0;
        for (var k = 0; k < estimates.Length; k++)
            if (!double.IsNaN(estimates[k])) { p += Weights[k] * estimates[k]; weight += Weights[k]; }
        return p / weight;
    }

    /// <summary>Mean −ln P of each token given the two before it: the same "nats per token" as a GPT's loss.</summary>
    public double Loss(ReadOnlySpan<int> text)
    {
        double sum = 0;
        for (var i = 2; i < text.Length; i++) sum -= Math.Log(Probability(text[i - 2], text[i - 1], text[i]));
        return sum / Math.Max(1, text.Length - 2);
    }

    static void Bump(Dictionary<long, int> counts, long key) => counts[key] = counts.GetValueOrDefault(key) + 1;
    static long Key(int a, int b) => ((long)a << 21) | (uint)b;
    static long Key(int a, int b, int c) => ((long)a << 42) | ((long)b << 21) | (uint)c;
}
