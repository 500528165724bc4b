using System.Text.Json;
using LlmCourse.Generation;
using Microsoft.Extensions.AI;
using static LlmCourse.Serving.JsonFields;

namespace LlmCourse.Serving;

/// <summary>
/// A <c>POST /v1/chat/completions</c> body, read into Microsoft.Extensions.AI's terms so the server hands it to the
/// same <see cref="CourseChatClient"/> an application would use in process. Every field the server reads is
/// type-checked here with an error naming it; range checks are <see cref="OptionsMapping"/>'s, shared with the
/// in-process client. Fields the server does not know (<c>user</c>, <c>store</c>, <c>metadata</c>, ...) are ignored,
/// as most OpenAI-compatible servers do; fields it knows but cannot honour are refused.
/// </summary>
/// <param name="IncludeUsage">Streaming only: <c>"stream_options": {"include_usage": true}</c> asks for a last chunk with the token counts.</param>
sealed record OpenAiRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage)
{
    public static OpenAiRequest Parse(ReadOnlyMemory<byte> body)
    {
        using (var document = ParseBody(body))
        {
            var root = document.RootElement;
            var model = String(root, "model") ?? throw new ChatRequestException("The request names no model: set \"model\" (GET /v1/models lists them).", "model", "missing_required_parameter");
            if (!root.TryGetProperty("messages", out var messagesJson) || messagesJson.ValueKind == JsonValueKind.Null)
                throw new ChatRequestException("The request has no \"messages\".", "messages", "missing_required_parameter");
            if (messagesJson.ValueKind != JsonValueKind.Array)
                throw new ChatRequestException($"messages must be an array of messages; got {Kind(messagesJson)}.", "messages", "invalid_type");
            var messages = messagesJson.EnumerateArray().Select(ReadMessage).ToList();

            var options = SamplingOptions(root, model);
            options.ResponseFormat = ResponseFormat(root);
            options.ToolMode = ToolChoice(root);
            // OpenAI's chat logprobs: "logprobs": true for the chosen tokens' log probabilities, "top_logprobs": 0-20 for
            // that many alternatives each (only with logprobs).
            var logprobs = Bool(root, "logprobs") ?? false;
            var top = Integer(root, "top_logprobs");
            if (top is not null && !logprobs)
                throw new ChatRequestException("top_logprobs needs \"logprobs\": true.", "top_logprobs", "invalid_value");
            if (top is < 0 or > TokenAlternatives.MaxTop)
                throw new ChatRequestException($"top_logprobs must be from 0 to {TokenAlternatives.MaxTop}; got {top}.", "top_logprobs", "invalid_value");
            if (logprobs) options.AdditionalProperties = new() { [OptionsMapping.TopLogprobs] = (int)(top ?? 0) };
            if (String(root, "reasoning_effort") is not null)
                throw new ChatRequestException("reasoning_effort is not supported: a course model thinks as it was trained to; how much cannot be set per request.", "reasoning_effort", "unsupported_parameter");
            if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
                throw new ChatRequestException(OptionsMapping.ToolsRefused(tools.EnumerateArray().Select(ToolName)), "tools", "unsupported_parameter");

            var (stream, includeUsage) = Streaming(root);
            return new OpenAiRequest(model, messages, options, stream, includeUsage);
        }
    }

    /// <summary>The options chat and plain completions share: sampling, limits, stop sequences, and what is refused in both.</summary>
    internal static ChatOptions SamplingOptions(JsonElement root, string model)
    {
        var max = Integer(root, "max_completion_tokens") ?? Integer(root, "max_tokens");
        // Larger than any context; said here, before the number is folded into an int (OptionsMapping says the real limit).
        if (max > int.MaxValue)
            throw new ChatRequestException($"max_tokens is too large: {max}. A course model reads at most a few hundred tokens.",
                "max_tokens", "invalid_value");
        var options = new ChatOptions
        {
            ModelId = model,
            Temperature = (float?)Number(root, "temperature"),
            TopP = (float?)Number(root, "top_p"),
            TopK = Integer(root, "top_k") is { } k ? (int)Math.Clamp(k, int.MinValue, int.MaxValue) : null,
            MaxOutputTokens = max is { } m ? (int)Math.Max(m, int.MinValue) : null,
            Seed = Integer(root, "seed"),
            FrequencyPenalty = (float?)Number(root, "frequency_penalty"),
            PresencePenalty = (float?)Number(root, "presence_penalty"),
            StopSequences = Stops(root),
        };
        if (Integer(root, "n") is { } n && n != 1)
            throw new ChatRequestException($"n must be 1: the server writes one choice per request; got {n}.", "n", "unsupported_value");
        if (root.TryGetProperty("logit_bias", out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().Any())
            throw new ChatRequestException("logit_bias is not supported by this server.", "logit_bias", "unsupported_parameter");
        return options;
    }

    /// <summary>"stream": true, and whether <c>"stream_options": {"include_usage": true}</c> asks for a last chunk with the counts.</summary>
    internal static (bool Stream, bool IncludeUsage) Streaming(JsonElement root) =>
        (Bool(root, "stream") ?? false,
         root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
             && (Bool(so, "include_usage", "stream_options.include_usage") ?? false));

    static ChatMessage ReadMessage(JsonElement m, int i)
    {
        var at = $"messages[{i}]";
        if (m.ValueKind != JsonValueKind.Object)
            throw new ChatRequestException($"{at} must be an object with a role and content; got {Kind(m)}.", at, "invalid_type");
        var role = String(m, "role", at + ".role") ?? throw new ChatRequestException($"{at} has no role.", at + ".role", "missing_required_parameter");
        // Only the assistant may leave its content out (a turn that only calls tools); OpenAI refuses it elsewhere too.
        if (role is "system" or "developer" or "user" or "tool" && (!m.TryGetProperty("content", out var c) || c.ValueKind == JsonValueKind.Null))
            throw new ChatRequestException($"{at}.content must be a string or an array of parts; a {role} message cannot be without content.",
                at + ".content", "invalid_type");
        var contents = Contents(m, at);
        switch (role)
        {
            case "system" or "developer":
                return new ChatMessage(ChatRole.System, contents);
            case "user":
                return new ChatMessage(ChatRole.User, contents);
            case "assistant":
                if (m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                    foreach (var (call, j) in calls.EnumerateArray().Select((c, j) => (c, j)))
                        contents.Add(ReadToolCall(call, $"{at}.tool_calls[{j}]"));
                return new ChatMessage(ChatRole.Assistant, contents);
            case "tool":
                var text = string.Concat(contents.OfType<TextContent>().Select(t => t.Text));
                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(String(m, "tool_call_id", at + ".tool_call_id") ?? "", text)]);
            default:
                throw new ChatRequestException($"{at} has the role '{role}'; the server knows system, developer, user, assistant and tool.", at + ".role", "invalid_value");
        }
    }

    /// <summary>A message's content: a string, an array of parts, or null (an assistant message that only calls tools).</summary>
    static List<AIContent> Contents(JsonElement m, string at)
    {
        if (!m.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null) return [];
        if (content.ValueKind == JsonValueKind.String) return [new TextContent(Text(content, at + ".content"))];
        if (content.ValueKind != JsonValueKind.Array)
            throw new ChatRequestException($"{at}.content must be a string or an array of parts; got {Kind(content)}.", at + ".content", "invalid_type");
        var parts = new List<AIContent>();
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var where = $"{at}.content[{j++}]";
            if (part.ValueKind != JsonValueKind.Object)
                throw new ChatRequestException($"{where} must be an object like {{\"type\": \"text\", \"text\": \"...\"}}; got {Kind(part)}.", where, "invalid_type");
            var type = String(part, "type", where + ".type");
            switch (type)
            {
                case "text":
                    parts.Add(new TextContent(String(part, "text", where + ".text") ?? ""));
                    break;
                case "image_url":
                    throw new ChatRequestException($"{at} holds an image (an image_url part); the course models read text only.", at + ".content", "unsupported_content");
                default:
                    throw new ChatRequestException($"{where} is a '{type}' part; the course models read text only.", at + ".content", "unsupported_content");
            }
        }
        return parts;
    }

    static FunctionCallContent ReadToolCall(JsonElement call, string at)
    {
        if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            throw new ChatRequestException($"{at} must be {{\"id\", \"type\": \"function\", \"function\": {{\"name\", \"arguments\"}}}}.", at, "invalid_type");
        var name = String(function, "name", at + ".function.name") ?? throw new ChatRequestException($"{at} names no function.", at + ".function.name", "missing_required_parameter");
        var argumentsText = String(function, "arguments", at + ".function.arguments");
        Dictionary<string, object?>? arguments = null;
        if (!string.IsNullOrWhiteSpace(argumentsText))
        {
            try
            {
                using var parsed = JsonDocument.Parse(argumentsText);
                if (parsed.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                arguments = parsed.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            }
            catch (JsonException)
            {
                throw new ChatRequestException($"{at}.function.arguments must be a JSON object written as a string.", at + ".function.arguments", "invalid_value");
            }
        }
        return new FunctionCallContent(String(call, "id", at + ".id") ?? "", name, arguments);
    }

    static IList<string>? Stops(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return null;
        if (stop.ValueKind == JsonValueKind.String) return [Text(stop, "stop")];
        if (stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))
            return stop.EnumerateArray().Select((s, i) => Text(s, $"stop[{i}]")).ToList();
        throw new ChatRequestException($"stop must be a string or an array of strings; got {Kind(stop)}.", "stop", "invalid_type");
    }

    static ChatResponseFormat? ResponseFormat(JsonElement root)
    {
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind == JsonValueKind.Null) return null;
        var type = format.ValueKind == JsonValueKind.Object ? String(format, "type", "response_format.type") : null;
        return type switch
        {
            "text" => ChatResponseFormat.Text,
            "json_object" or "json_schema" => ChatResponseFormat.Json,
            _ => throw new ChatRequestException("response_format must be an object with a type: \"text\", \"json_object\" or \"json_schema\".", "response_format", "invalid_value"),
        };
    }

    static ChatToolMode? ToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null) return null;
        if (choice.ValueKind == JsonValueKind.Object) return ChatToolMode.RequireAny;   // a named function: refused by OptionsMapping
        return (choice.ValueKind == JsonValueKind.String ? Text(choice, "tool_choice") : null) switch
        {
            "none" => ChatToolMode.None,
            "auto" => ChatToolMode.Auto,
            "required" => ChatToolMode.RequireAny,
            _ => throw new ChatRequestException("tool_choice must be \"none\", \"auto\", \"required\" or a function.", "tool_choice", "invalid_value"),
        };
    }

    static string ToolName(JsonElement tool) =>
        tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
            && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? Text(n, "tools") : "?";
}
