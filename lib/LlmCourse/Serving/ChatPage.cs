using System.Reflection;

namespace LlmCourse.Serving;

/// <summary>
/// The chat page <c>llmcourse serve</c> shows at <c>/</c>: one HTML file, one stylesheet and one script, hand-written
/// and compiled into the library as resources (Serving/Page/), so the page works offline, on a stage, with no CDN. It
/// talks to the same server's OpenAI API like any client (streamed chat completions with logprobs, plain completions
/// for the base model), plus two small page-only routes: the model catalog and the prompt as the model sees it.
/// </summary>
/// <remarks>
/// Model output reaches the page only as text (<c>textContent</c>, never <c>innerHTML</c>), and the
/// <see cref="ContentSecurityPolicy"/> allows no script but the page's own file: a reply that says
/// <c>&lt;script&gt;</c> shows those characters.
/// </remarks>
static class ChatPage
{
    /// <summary>
    /// Everything from this server only; no inline script or style, no plugins, no frames, no forms posting elsewhere.
    /// Sent with every response, the API's JSON included (it costs nothing and covers a JSON body opened as a page).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The page's files: path → (content type, bytes).</summary>
    public static IReadOnlyDictionary<string, (string ContentType, byte[] Bytes)> Assets { get; } = new Dictionary<string, (string, byte[])>
    {
        ["/"] = ("text/html; charset=utf-8", Resource("index.html")),
        ["/page.css"] = ("text/css; charset=utf-8", Resource("page.css")),
        ["/page.js"] = ("text/javascript; charset=utf-8", Resource("page.js")),
    };

    /// <summary>What the page starts with: the course's defaults (greedy, as <c>llmcourse chat</c>; top-k off).</summary>
    public static PageDefaults Defaults { get; } = new(Temperature: 0, TopK: null, MaxTokens: 120, TopLogprobs: 5);

    static byte[] Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LlmCourse.Serving.Page." + name)
            ?? throw new InvalidOperationException($"The chat page's {name} is not compiled into the library (LlmCourse.csproj embeds Serving/Page/).");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}

/// <summary>The page's model list: every course model (served or not, and why not) and the defaults for its controls.</summary>
sealed record PageCatalog(IReadOnlyList<PageModel> Models, PageDefaults Defaults);

/// <param name="Kind">"chat" (POST /v1/chat/completions) or "base" (POST /v1/completions: the text is continued).</param>
/// <param name="Built">Whether its file exists (a built model may still be left out with --model).</param>
/// <param name="Unavailable">Why it is not served (not built: with the command that builds it), or null when it is.</param>
sealed record PageModel(string Id, string Kind, string? Description, int? ContextLength, bool Tools, bool Built, string? Unavailable);

sealed record PageDefaults(double Temperature, int? TopK, int MaxTokens, int TopLogprobs);

/// <summary>The prompt as the model reads it: each token's id and text, special tokens marked.</summary>
sealed record PagePrompt(string Model, IReadOnlyList<PageToken> Tokens, int Count, int ContextLength);

sealed record PageToken(int Id, string Text, bool Special);
