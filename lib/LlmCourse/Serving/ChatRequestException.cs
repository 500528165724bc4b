namespace LlmCourse.Serving;

/// <summary>
/// A request the course models cannot serve, and why, in words an application developer can act on. The
/// server turns it into OpenAI's error JSON (<c>{"error":{"message","type","param","code"}}</c>) with a 4xx status;
/// in process it is an <see cref="ArgumentException"/> like any other bad argument.
/// </summary>
/// <param name="param">The request field at fault, as OpenAI names it ("messages[2].content", "temperature"), or null.</param>
/// <param name="code">A machine-readable reason in OpenAI's style ("model_not_found", "context_length_exceeded"), or null.</param>
/// <param name="status">The HTTP status the server answers with: 400 unless the thing asked for does not exist (404) or the body is too big (413).</param>
public sealed class ChatRequestException(string message, string? param = null, string? code = null, int status = 400)
    : ArgumentException(message)
{
    /// <summary>The request field at fault, as OpenAI names it, or null.</summary>
    public string? Param { get; } = param;

    /// <summary>A machine-readable reason, or null.</summary>
    public string? Code { get; } = code;

    /// <summary>The HTTP status the server answers with.</summary>
    public int Status { get; } = status;
}
