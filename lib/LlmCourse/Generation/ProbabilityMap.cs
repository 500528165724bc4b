using LlmCourse.Tokenization;
using LlmCourse.Visuals;

namespace LlmCourse.Generation;

/// <summary>One token and the probability the model gives it as the next token.</summary>
/// <param name="Id">The token id.</param>
/// <param name="Text">The text it stands for.</param>
/// <param name="Probability">Between 0 and 1.</param>
public sealed record TokenProbability(int Id, string Text, double Probability)
{
    public override string ToString() => $"{Id} {TokenText.Quote(Text)} {ProbabilityMap.Percent(Probability)}";
}

/// <summary>
/// What the model predicts after a context: a probability for every token in the vocabulary. Shown
/// as the slides draw it — the most likely few, with their ids and percentages.
/// </summary>
public sealed class ProbabilityMap : HtmlView
{
    readonly double[] probabilities;
    readonly ITokenizer tokenizer;

    public ProbabilityMap(IReadOnlyList<int> context, double[] probabilities, ITokenizer tokenizer, int top = 10)
    {
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, "Show at least one token.");
        Context = context.ToArray();
        this.probabilities = probabilities;
        this.tokenizer = tokenizer;
        Top = Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i]).ThenBy(i => i)
            .Take(top)
            .Select(i => new TokenProbability(i, tokenizer.Decode([i]), probabilities[i]))
            .ToArray();
    }

    /// <summary>The token ids that went in.</summary>
    public IReadOnlyList<int> Context { get; }
    public string ContextText => tokenizer.Decode(Context);

    /// <summary>The most likely next tokens, most likely first.</summary>
    public IReadOnlyList<TokenProbability> Top { get; }

    /// <summary>How many tokens the map covers (the whole vocabulary).</summary>
    public int Count => probabilities.Length;

    /// <summary>The probability of token <paramref name="id"/>.</summary>
    public double this[int id] => (uint)id < (uint)probabilities.Length ? probabilities[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run 0..{probabilities.Length - 1}.");

    /// <summary>The probability that the next text starts with exactly <paramref name="tokenText"/> as one token (0 if no such token).</summary>
    public double this[string tokenText]
    {
        get
        {
            var ids = tokenizer.Encode(tokenText);
            return ids.Count == 1 ? this[ids[0]] : 0;
        }
    }

    /// <summary>Every token's probability, by id.</summary>
    public IReadOnlyList<double> All => probabilities;

    /// <summary>Uncertainty in bits: 0 when one token is certain, log2(vocabulary) when all are equally likely.</summary>
    public double EntropyBits => -probabilities.Where(p => p > 0).Sum(p => p * Math.Log2(p));

    internal static string Percent(double p) => p switch
    {
        >= 0.995 => $"{p:P0}",
        >= 0.1 => $"{p * 100:F0}%",
        >= 0.0001 => $"{p * 100:0.##}%",
        > 0 => "<0.01%",
        _ => "0%",
    };

    public override string ToHtml() => ProbabilityBars.Html(ContextText, Top, Count);

    public override string ToText() =>
        $"{TokenText.Quote(ContextText)} ->\n" + string.Join("\n", Top.Select(t => "  " + t)) + "\n  ...";
}
