namespace LlmCourse.Generation;

/// <summary>
/// How to pick the next token from the probability map.
/// <list type="bullet">
/// <item>Temperature divides the scores before softmax: below 1 sharpens the map towards the favourite,
/// above 1 flattens it; 0 means always take the most likely token (greedy, deterministic).</item>
/// <item>TopK keeps only the K most likely tokens.</item>
/// <item>TopP ("nucleus") keeps the smallest set of most likely tokens whose probabilities add up to P.</item>
/// </list>
/// The kept tokens' probabilities are renormalised to sum to 1, then one is drawn at random.
/// </summary>
public sealed record Sampling
{
    readonly double temperature = 1.0;
    readonly int? topK;
    readonly double? topP;

    public Sampling(double temperature = 1.0, int? topK = null, double? topP = null)
    {
        Temperature = temperature;
        TopK = topK;
        TopP = topP;
    }

    /// <summary>Always the most likely token.</summary>
    public static Sampling Greedy { get; } = new(temperature: 0);

    /// <summary>The model's own probabilities, unchanged.</summary>
    public static Sampling Default { get; } = new();

    public double Temperature
    {
        get => temperature;
        init => temperature = double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "Temperature must be a finite number >= 0 (0 = always the most likely token).");
    }

    public int? TopK
    {
        get => topK;
        init => topK = value is null or >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(TopK), value, "TopK must be at least 1 (or null for no limit).");
    }

    public double? TopP
    {
        get => topP;
        init => topP = value is null || (value > 0 && value <= 1) ? value
            : throw new ArgumentOutOfRangeException(nameof(TopP), value, "TopP must be in (0, 1] (or null for no limit).");
    }

    public override string ToString() =>
        Temperature == 0 ? "greedy" :
        $"temperature {Temperature}" + (TopK is { } k ? $", top-k {k}" : "") + (TopP is { } p ? $", top-p {p}" : "");
}
