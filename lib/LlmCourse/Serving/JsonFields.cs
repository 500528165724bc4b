using System.Text.Json;

namespace LlmCourse.Serving;

/// <summary>
/// Reading a request body's fields with errors that name the field, as OpenAI's are. Shared by the chat and the plain
/// completions requests. Absent and null are the same (OpenAI's clients send null for "not set").
/// </summary>
static class JsonFields
{
    public static JsonDocument ParseBody(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e)
        {
            throw new ChatRequestException($"The request body is not valid JSON: {e.Message}", null, "invalid_json");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = Kind(document.RootElement);
            document.Dispose();
            throw new ChatRequestException($"The request body must be a JSON object; got {kind}.", null, "invalid_json");
        }
        return document;
    }

    public static string? String(JsonElement obj, string name, string? param = null) =>
        Field(obj, name) is not { } value ? null
        : value.ValueKind == JsonValueKind.String ? Text(value, param ?? name)
        : throw new ChatRequestException($"{param ?? name} must be a string; got {Kind(value)}.", param ?? name, "invalid_type");

    /// <summary>
    /// A JSON string's text. JSON may escape half a UTF-16 pair on its own (<c>"\ud800"</c>); that is no character, and
    /// .NET refuses to make a string of it. The request is at fault, so it is a 400 naming the field, not a 500.
    /// </summary>
    public static string Text(JsonElement value, string param)
    {
        try { return value.GetString()!; }
        catch (InvalidOperationException)
        {
            throw new ChatRequestException(
                $"{param} is not valid Unicode text: it holds half of a UTF-16 surrogate pair (such as \\ud800) without the other half.",
                param, "invalid_value");
        }
    }

    public static double? Number(JsonElement obj, string name) =>
        Field(obj, name) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw new ChatRequestException($"{name} must be a number; got {Kind(value)}.", name, "invalid_type");

    public static long? Integer(JsonElement obj, string name) =>
        Field(obj, name) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n
        : throw new ChatRequestException($"{name} must be a whole number; got {Kind(value)}.", name, "invalid_type");

    public static bool? Bool(JsonElement obj, string name, string? param = null) =>
        Field(obj, name) is not { } value ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new ChatRequestException($"{param ?? name} must be true or false; got {Kind(value)}.", param ?? name, "invalid_type");

    public static JsonElement? Field(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Quote(value)}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    static string Quote(JsonElement value)
    {
        string text;
        try { text = value.GetString()!; }
        catch (InvalidOperationException) { return "(not valid Unicode)"; }
        return "\"" + (text.Length > 20 ? text[..20] + "…" : text) + "\"";
    }
}
