namespace LlmCourse.Generation;

/// <summary>One step of generation: the token chosen, the text it completed, and how likely it was.</summary>
/// <param name="Id">The chosen token id.</param>
/// <param name="Text">
/// The text this token completes. A token may hold part of a multi-byte character; its text is then
/// empty and the character appears with the token that finishes it. Concatenating the texts of all
/// generated tokens gives the decoded continuation.
/// </param>
/// <param name="Probability">The probability the sampler gave the chosen token.</param>
public sealed record GeneratedToken(int Id, string Text, double Probability)
{
    /// <summary>
    /// What the model itself thought at this step, when the caller asked for it (<c>alternatives</c> in
    /// <see cref="LanguageModel.Stream(IReadOnlyList{int}, int, Sampling?, int, IReadOnlyCollection{int}?, int?)"/>);
    /// null otherwise.
    /// </summary>
    public TokenAlternatives? Alternatives { get; init; }

    public override string ToString() => Text;
}

/// <summary>
/// The probability map behind one generated token: the probability the model gave the chosen token and its most
/// likely rivals. Always the model's own distribution (softmax at temperature 1, before top-k and top-p), whatever
/// the sampler did with it — greedy decoding would otherwise show 100% for every token, which says nothing about the
/// model. This is what OpenAI's <c>logprobs</c> report too.
/// </summary>
/// <param name="Probability">The chosen token's probability under the model.</param>
/// <param name="Top">The most likely tokens at this step, most likely first (empty when none were asked for).</param>
public sealed record TokenAlternatives(double Probability, IReadOnlyList<TokenProbability> Top)
{
    /// <summary>OpenAI allows up to 20 alternatives per token; so does the course.</summary>
    public const int MaxTop = 20;

    /// <summary>The chosen token's entry and the <paramref name="top"/> most likely, from the model's raw probabilities.</summary>
    public static TokenAlternatives From(double[] probabilities, int chosen, int top, Tokenization.ITokenizer tokenizer)
    {
        top = Math.Clamp(top, 0, Math.Min(MaxTop, probabilities.Length));
        // A small insertion-sorted list beats sorting the whole vocabulary for 20 entries out of thousands.
        var best = new List<int>(top + 1);
        for (var i = 0; i < probabilities.Length && top > 0; i++)
        {
            if (best.Count == top && probabilities[i] <= probabilities[best[^1]]) continue;
            var at = best.Count;
            while (at > 0 && probabilities[i] > probabilities[best[at - 1]]) at--;
            best.Insert(at, i);
            if (best.Count > top) best.RemoveAt(top);
        }
        return new TokenAlternatives(probabilities[chosen],
            best.Select(i => new TokenProbability(i, tokenizer.Decode([i]), probabilities[i])).ToArray());
    }
}
