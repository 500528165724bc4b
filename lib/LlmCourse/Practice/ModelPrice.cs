namespace LlmCourse.Practice;

/// <summary>
/// What one hosted model costs, as its provider's pricing page said on <see cref="Date"/>: US dollars per million
/// input (prompt) tokens and per million output (completion) tokens.
/// </summary>
/// <param name="ContextWindow">The most tokens the model reads at once (prompt and reply together), or null if not recorded.</param>
/// <param name="Source">The pricing page the numbers come from.</param>
public sealed record ModelPrice(string Model, string Provider, decimal InputPerMillion, decimal OutputPerMillion, int? ContextWindow, DateOnly Date, string Source)
{
    /// <summary>The price of one request, in US dollars.</summary>
    public decimal Cost(long inputTokens, long outputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        return (inputTokens * InputPerMillion + outputTokens * OutputPerMillion) / 1_000_000m;
    }

    /// <summary>What <paramref name="usage"/> costs with this model: per request, per day and per month.</summary>
    public CostEstimate Estimate(UsagePattern usage)
    {
        var perRequest = Cost(usage.InputTokens, usage.OutputTokens);
        return new CostEstimate(Model, Provider, perRequest, perRequest * usage.RequestsPerDay, perRequest * usage.RequestsPerDay * usage.DaysPerMonth);
    }

    public override string ToString() => $"{Model} ({Provider}): ${InputPerMillion}/M in, ${OutputPerMillion}/M out, as of {Date:yyyy-MM-dd}";
}

/// <summary>How an application uses a model: so many requests a day, each with about so many tokens in and out.</summary>
public sealed record UsagePattern
{
    public UsagePattern(int requestsPerDay, int inputTokens, int outputTokens, int daysPerMonth = 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requestsPerDay);
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(daysPerMonth);
        (RequestsPerDay, InputTokens, OutputTokens, DaysPerMonth) = (requestsPerDay, inputTokens, outputTokens, daysPerMonth);
    }

    public int RequestsPerDay { get; }
    public int InputTokens { get; }
    public int OutputTokens { get; }
    public int DaysPerMonth { get; }

    public override string ToString() => $"{RequestsPerDay:N0} requests a day × ({InputTokens:N0} tokens in + {OutputTokens:N0} out), {DaysPerMonth} days a month";
}

/// <summary>What a usage pattern costs with one model, in US dollars.</summary>
public sealed record CostEstimate(string Model, string Provider, decimal PerRequest, decimal PerDay, decimal PerMonth);
