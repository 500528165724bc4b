using LlmCourse.Chat;
using LlmCourse.Generation;
using Microsoft.Extensions.AI;

namespace LlmCourse.Serving;

/// <summary>What a request asks of one reply, in the course's terms: how to sample, and whether the harness runs tools.</summary>
/// <param name="Reply">Sampling, token limit, seed and stop sequences.</param>
/// <param name="UseTools">False when the caller turned tools off (<see cref="ChatToolMode.None"/>, OpenAI's <c>"tool_choice": "none"</c>).</param>
public sealed record ReplySettings(ReplyOptions Reply, bool UseTools);

/// <summary>
/// <see cref="ChatOptions"/> to the course's sampler, with every value checked against the range OpenAI documents, so
/// the in-process client and the HTTP server refuse the same requests with the same words. Parameter names in the
/// errors are OpenAI's ("top_p"), since that is what a client of the server sent.
/// </summary>
/// <remarks>
/// Defaults differ from OpenAI's on purpose, in the course's favour: with no temperature the models answer
/// greedily (the most likely token each time, as <c>llmcourse chat</c> does), so the same question gets the same
/// answer — unless top-p or top-k is given, which only mean something when sampling, and then the temperature
/// is 1. With no seed the seed is 0, so sampled answers are reproducible too. With no token limit the reply may
/// fill the rest of the context window.
/// </remarks>
public static class OptionsMapping
{
    /// <summary>OpenAI accepts at most four stop sequences.</summary>
    public const int MaxStopSequences = 4;

    /// <summary>
    /// The <see cref="ChatOptions.AdditionalProperties"/> key that asks for log probabilities (OpenAI's <c>logprobs</c>), with
    /// its value the number of alternatives per token (<c>top_logprobs</c>, 0 to 20). Microsoft.Extensions.AI has no option
    /// of its own for them; absent, none are computed.
    /// </summary>
    public const string TopLogprobs = "top_logprobs";

    public static ReplySettings ToCourse(ChatOptions? options, int contextLength)
    {
        options ??= new ChatOptions();
        if (options.Temperature is { } t && !(t >= 0 && t <= 2))
            throw new ChatRequestException($"temperature must be between 0 and 2 (0 = always the most likely token); got {t}.", "temperature", "invalid_value");
        if (options.TopP is { } p && !(p > 0 && p <= 1))
            throw new ChatRequestException($"top_p must be greater than 0 and at most 1; got {p}.", "top_p", "invalid_value");
        if (options.TopK is { } k && k < 1)
            throw new ChatRequestException($"top_k must be at least 1; got {k}.", "top_k", "invalid_value");
        if (options.MaxOutputTokens is { } max && max < 1)
            throw new ChatRequestException($"max_tokens must be at least 1; got {max}.", "max_tokens", "invalid_value");
        // As OpenAI does with more than a model can write: refused, not quietly capped, so the caller learns the limit.
        if (options.MaxOutputTokens is { } most && most > contextLength)
            throw new ChatRequestException(
                $"max_tokens is too large: {most}. This model reads at most {contextLength} tokens, the prompt and the reply together; " +
                $"ask for at most {contextLength} (or leave it out: the reply may then fill the rest of the context).", "max_tokens", "invalid_value");
        int? alternatives = null;
        if (options.AdditionalProperties?.TryGetValue(TopLogprobs, out var top) == true && top is not null)
        {
            alternatives = top is int n ? n : throw new ChatRequestException("top_logprobs must be a whole number.", "top_logprobs", "invalid_type");
            if (n is < 0 or > TokenAlternatives.MaxTop)
                throw new ChatRequestException($"top_logprobs must be from 0 to {TokenAlternatives.MaxTop}; got {n}.", "top_logprobs", "invalid_value");
        }
        var stops = options.StopSequences ?? [];
        if (stops.Count > MaxStopSequences)
            throw new ChatRequestException($"stop may hold at most {MaxStopSequences} sequences; got {stops.Count}.", "stop", "invalid_value");
        if (stops.Any(string.IsNullOrEmpty))
            throw new ChatRequestException("stop sequences must not be empty.", "stop", "invalid_value");
        if (options.FrequencyPenalty is { } f && f != 0)
            throw Unsupported("frequency_penalty", "the course sampler has no repetition penalties");
        if (options.PresencePenalty is { } pp && pp != 0)
            throw Unsupported("presence_penalty", "the course sampler has no repetition penalties");
        if (options.ResponseFormat is not null and not ChatResponseFormatText)
            throw Unsupported("response_format", "the course models write plain text; they cannot be constrained to JSON");
        if (options.Reasoning is not null)
            throw Unsupported("reasoning_effort", "a course model thinks as it was trained to; how much cannot be set per request");
        if (options.ConversationId is not null)
            throw Unsupported("conversation", "the course models keep no conversations; send the whole conversation with each request");
        if (options.ContinuationToken is not null || options.AllowBackgroundResponses == true)
            throw Unsupported("background", "every reply is written while the request waits");
        if (options.Tools is { Count: > 0 } tools)
            throw new ChatRequestException(ToolsRefused(tools.Select(x => x.Name)), "tools", "unsupported_parameter");
        if (options.ToolMode is RequiredChatToolMode)
            throw new ChatRequestException("A course model decides for itself whether to call a tool; a call cannot be required. Use 'auto' or 'none'.", "tool_choice", "unsupported_parameter");

        var temperature = options.Temperature ?? (options.TopP is null && options.TopK is null ? 0 : 1);
        var sampling = temperature == 0 ? Sampling.Greedy : new Sampling(temperature, options.TopK, options.TopP);
        var seed = options.Seed is { } s ? unchecked((int)(s ^ (s >> 32))) : 0;   // any 64-bit seed, folded to the sampler's 32 bits
        var reply = new ReplyOptions(sampling, options.MaxOutputTokens ?? contextLength, seed, stops.Count > 0 ? [.. stops] : null,
            Alternatives: alternatives);
        return new ReplySettings(reply, UseTools: options.ToolMode is not NoneChatToolMode);
    }

    /// <summary>Why a request's tools are refused: a course model's tools are built in.</summary>
    public static string ToolsRefused(IEnumerable<string> names)
    {
        var list = names.ToList();
        return $"The request offers {list.Count} tool(s) ({string.Join(", ", list)}), but a course model cannot learn tools from a request: " +
               "its tools (calculator, search) are built in — the model was trained to call them and the server runs them. " +
               "Leave tools out; the calls the model made come back with the response.";
    }

    static ChatRequestException Unsupported(string param, string why) =>
        new($"{param} is not supported: {why}.", param, "unsupported_parameter");
}
