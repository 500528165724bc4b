using System.Text.Json.Serialization;
using LlmCourse.Generation;
using LlmCourse.Tokenization;

namespace LlmCourse.Serving;

// Log probabilities in OpenAI's two shapes: chat completions' `logprobs.content` (one entry per token, each with its
// top alternatives) and the plain completions' older parallel lists. Both come from the model's own distribution at
// each step (TokenAlternatives), whatever the sampler then did with it.

/// <summary>A chat choice's <c>logprobs</c>: <c>{"content": [...], "refusal": null}</c>.</summary>
sealed record ChoiceLogprobs(IReadOnlyList<TokenLogprob> Content)
{
    public object? Refusal => null;
}

/// <param name="Bytes">The token's UTF-8 bytes: a token may hold part of a character, which its text cannot show.</param>
sealed record TokenLogprob(string Token, double Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<TopLogprob> TopLogprobs);

sealed record TopLogprob(string Token, double Logprob, IReadOnlyList<int> Bytes);

/// <summary>The plain completions' <c>logprobs</c>: parallel lists, one element per token.</summary>
/// <param name="TopLogprobs">Per token, the alternatives as text → log probability.</param>
/// <param name="TextOffset">Per token, where its text starts in the completion.</param>
sealed record TextLogprobs(IReadOnlyList<string> Tokens, IReadOnlyList<double> TokenLogprobs,
    IReadOnlyList<IReadOnlyDictionary<string, double>> TopLogprobs, IReadOnlyList<int> TextOffset);

static class Logprobs
{
    /// <summary>
    /// ln p, with OpenAI's floor: a probability that underflowed to 0 would be -infinity, which JSON cannot carry, so it is
    /// reported as -9999 as OpenAI does.
    /// </summary>
    public static double Of(double probability) => probability > 0 ? Math.Max(Math.Log(probability), -9999) : -9999;

    /// <summary>One chat entry; null when the token carries no alternatives (none were asked for).</summary>
    public static TokenLogprob? Entry(GeneratedToken token, ITokenizer tokenizer) => token.Alternatives is not { } seen ? null
        : new TokenLogprob(tokenizer.Decode([token.Id]), Of(seen.Probability), Bytes(token.Id, tokenizer),
            [.. seen.Top.Select(t => new TopLogprob(t.Text, Of(t.Probability), Bytes(t.Id, tokenizer)))]);

    static int[] Bytes(int id, ITokenizer tokenizer) => [.. tokenizer.TokenBytes(id).Select(b => (int)b)];

    /// <summary>The plain completions' lists for the given tokens; <paramref name="offset"/> is where the first token's text starts.</summary>
    public static TextLogprobs Text(IReadOnlyList<GeneratedToken> tokens, ITokenizer tokenizer, int offset)
    {
        var texts = new List<string>();
        var offsets = new List<int>();
        foreach (var t in tokens)
        {
            texts.Add(tokenizer.Decode([t.Id]));
            offsets.Add(offset);
            offset += t.Text.Length;
        }
        return new TextLogprobs(texts, [.. tokens.Select(t => Of(t.Alternatives?.Probability ?? t.Probability))],
            [.. tokens.Select(t => Top(t.Alternatives))], offsets);
    }

    static IReadOnlyDictionary<string, double> Top(TokenAlternatives? seen)
    {
        var top = new Dictionary<string, double>();
        // Two ids can decode to the same text (halves of characters both show as "\ufffd"); the likelier one is kept.
        foreach (var t in seen?.Top ?? []) top.TryAdd(t.Text, Of(t.Probability));
        return top;
    }
}

/// <summary>A plain completion (<c>"object": "text_completion"</c>), whole or as one streamed chunk.</summary>
sealed record TextCompletion(string Id, long Created, string Model, IReadOnlyList<TextChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionUsage? Usage = null)
{
    [JsonPropertyOrder(-1)] public string Object => "text_completion";
}

sealed record TextChoice(string Text, int Index, TextLogprobs? Logprobs, string? FinishReason);
