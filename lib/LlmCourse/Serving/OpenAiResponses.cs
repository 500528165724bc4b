using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace LlmCourse.Serving;

// What the server answers, in the shapes of OpenAI's chat-completions API (snake_case on the wire). Only the
// fields clients read are written; `builtin_tool_calls` is the course's own addition (see AssistantMessage).

/// <summary><c>{"error": {...}}</c>: how every failure is answered.</summary>
sealed record ErrorBody(ErrorDetail Error)
{
    public static ErrorBody From(string message, int status, string? param = null, string? code = null) =>
        new(new ErrorDetail(message, status >= 500 ? "server_error" : "invalid_request_error", param, code));
}

sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

sealed record ModelList(IReadOnlyList<ModelEntry> Data)
{
    [JsonPropertyOrder(-1)] public string Object => "list";
}

/// <param name="ContextLength">Not in OpenAI's shape; LM Studio and vLLM add the same number under similar names.</param>
sealed record ModelEntry(string Id, long Created, int ContextLength)
{
    [JsonPropertyOrder(-1)] public string Object => "model";
    public string OwnedBy => "llmcourse";
}

sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, CompletionUsage Usage)
{
    [JsonPropertyOrder(-1)] public string Object => "chat.completion";

    public static ChatCompletion From(ChatResponse response, string model, ChoiceLogprobs? logprobs = null)
    {
        var message = new AssistantMessage(Text(response), BuiltinToolCall.From(response.Messages.SelectMany(m => m.Contents)));
        return new(response.ResponseId ?? "", Unix(response.CreatedAt), model,
            [new CompletionChoice(0, message, FinishReason(response.FinishReason), logprobs)], CompletionUsage.From(response.Usage));
    }

    /// <summary>The assistant's text, before and after any tool calls, as one string (what the model wrote, tool results not included).</summary>
    static string Text(ChatResponse response) =>
        string.Concat(response.Messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text));

    public static string FinishReason(ChatFinishReason? reason) => reason == ChatFinishReason.Length ? "length" : "stop";

    public static long Unix(DateTimeOffset? time) => (time ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
}

/// <param name="Logprobs">Null unless the request asked for them (<c>"logprobs": true</c>), as OpenAI writes it.</param>
sealed record CompletionChoice(int Index, AssistantMessage Message, string FinishReason, ChoiceLogprobs? Logprobs = null);

/// <param name="BuiltinToolCalls">
/// The tool calls the model made and the server ran, in order. OpenAI's <c>tool_calls</c> would be wrong here: it
/// asks the client to run them, and this server already has. Clients that do not know the field ignore it.
/// </param>
sealed record AssistantMessage(string Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BuiltinToolCall>? BuiltinToolCalls)
{
    [JsonPropertyOrder(-1)] public string Role => "assistant";
    public string? Refusal => null;
}

sealed record BuiltinToolCall(string Call, string Result)
{
    /// <summary>Each call with its result, from the contents <see cref="CourseChatClient"/> produced; null when there were none.</summary>
    public static IReadOnlyList<BuiltinToolCall>? From(IEnumerable<AIContent> contents)
    {
        var calls = new List<BuiltinToolCall>();
        var pending = new Dictionary<string, string>();
        foreach (var content in contents)
        {
            if (content is FunctionCallContent call) pending[call.CallId] = call.RawRepresentation is Chat.ToolCalled c ? c.Call : call.Name;
            else if (content is FunctionResultContent result && pending.Remove(result.CallId, out var text))
                calls.Add(new BuiltinToolCall(text, result.Result?.ToString() ?? ""));
        }
        return calls.Count > 0 ? calls : null;
    }
}

sealed record CompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static CompletionUsage From(UsageDetails? usage) =>
        new((int)(usage?.InputTokenCount ?? 0), (int)(usage?.OutputTokenCount ?? 0), (int)(usage?.TotalTokenCount ?? 0));
}

/// <summary>One server-sent event of a streamed reply.</summary>
sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionUsage? Usage = null)
{
    [JsonPropertyOrder(-1)] public string Object => "chat.completion.chunk";
}

sealed record ChunkChoice(int Index, ChunkDelta Delta, string? FinishReason, ChoiceLogprobs? Logprobs = null);

sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BuiltinToolCall>? BuiltinToolCalls = null);

static class Wire
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Text goes out as the characters it is ("é", "<"), not \u escapes: easier to read in curl.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
