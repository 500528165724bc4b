namespace LlmCourse.Generation;

/// <summary>Why a completion ended.</summary>
public enum FinishReason
{
    /// <summary>It sampled one of the stop tokens (e.g. end of turn).</summary>
    Stop,
    /// <summary>It reached the limit of new tokens.</summary>
    Length,
    /// <summary>Prompt and completion filled the model's context.</summary>
    Context,
}

/// <summary>One sampled continuation of one prompt.</summary>
/// <param name="Prompt">Which prompt it continues (its index in the list given to the generator).</param>
/// <param name="Sample">Which of that prompt's samples it is (0 .. samplesPerPrompt - 1).</param>
/// <param name="Tokens">The generated ids, the stop token not included.</param>
/// <param name="StopToken">The stop token that ended it, or null if it ended for another reason.</param>
/// <param name="Finish">Why it ended.</param>
/// <param name="LogProbabilities">
/// The natural log of the probability each sampled token had under the distribution it was drawn from
/// (temperature, top-k and top-p applied; 0 under greedy): one per entry of <see cref="Tokens"/>, then one
/// for <see cref="StopToken"/> if there is one — choosing to stop is a decision too.
/// </param>
public sealed record Completion(
    int Prompt,
    int Sample,
    IReadOnlyList<int> Tokens,
    int? StopToken,
    FinishReason Finish,
    IReadOnlyList<float> LogProbabilities)
{
    /// <summary>Every token the sampler chose, the stop token included.</summary>
    public IEnumerable<int> Sampled => StopToken is int stop ? Tokens.Append(stop) : Tokens;

    /// <summary>The log-probability of the whole completion: the sum over every sampled token.</summary>
    public double LogProbability => LogProbabilities.Sum(l => (double)l);

    public override string ToString() =>
        $"prompt {Prompt} sample {Sample}: {Tokens.Count} tokens, " +
        (StopToken is int stop ? $"stopped at {stop}" : Finish == FinishReason.Length ? "reached the token limit" : "filled the context");
}

/// <summary>The completions of one generation call, prompt by prompt and sample by sample, with how long it took.</summary>
public sealed class CompletionBatch(IReadOnlyList<Completion> completions, TimeSpan prefill, TimeSpan decode, int steps)
    : IReadOnlyList<Completion>
{
    /// <summary>Running the prompts through the model once, filling the cache.</summary>
    public TimeSpan Prefill { get; } = prefill;

    /// <summary>Every sampling step after the prefill: sample a token per row, feed it back.</summary>
    public TimeSpan Decode { get; } = decode;

    /// <summary>Sampling steps taken (the longest completion's sampled tokens).</summary>
    public int Steps { get; } = steps;

    /// <summary>Tokens sampled across all completions, stop tokens included.</summary>
    public int SampledTokens => completions.Sum(c => c.Tokens.Count + (c.StopToken is null ? 0 : 1));

    /// <summary>Sampled tokens per second of decoding.</summary>
    public double TokensPerSecond => SampledTokens / Decode.TotalSeconds;

    /// <summary>The completions of prompt <paramref name="prompt"/>, sample 0 first.</summary>
    public IEnumerable<Completion> Of(int prompt) => completions.Where(c => c.Prompt == prompt);

    public Completion this[int index] => completions[index];
    public int Count => completions.Count;
    public IEnumerator<Completion> GetEnumerator() => completions.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        $"{Count} completions, {SampledTokens} tokens in {Steps} steps: prefill {Prefill.TotalMilliseconds:F1} ms, " +
        $"decode {Decode.TotalMilliseconds:F1} ms ({TokensPerSecond:N0} tokens/s)";
}
