using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static LlmCourse.Serving.JsonFields;

namespace LlmCourse.Serving;

// The chat page's routes (ChatPage): its three files, the model catalog, and the prompt as the model sees it.
public sealed partial class CourseServer
{
    void MapPage(WebApplication app)
    {
        foreach (var (path, (type, bytes)) in ChatPage.Assets)
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.ContentType = type;
                context.Response.Headers.CacheControl = "no-cache";
                return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
            });
        app.MapGet("/page/models", Catalog);
        app.MapPost("/page/prompt", Prompt);
    }

    /// <summary>The models served (chat first, then base), then the course models that are not, each with the reason.</summary>
    Task Catalog(HttpContext context)
    {
        string? About(string name) =>
            CourseModels.All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))?.Description;
        var models = new List<PageModel>();
        models.AddRange(clients.Values.Select(c =>
            new PageModel(c.ModelId, "chat", About(c.ModelId), c.ContextLength, c.Assistant.Tools is not null, true, null)));
        models.AddRange(completers.Values.Select(c => new PageModel(c.ModelId, "base", About(c.ModelId), c.ContextLength, false, true, null)));
        models.AddRange(unavailable.Select(m => new PageModel(m.Name, m.IsChat ? "chat" : "base", m.Description, null, m.UsesTools,
            m.Exists, UnknownModel(m.Name).Message)));
        return Write(context, 200, new PageCatalog(models, ChatPage.Defaults));
    }

    /// <summary>
    /// POST the body the page would send (<c>{"model", "messages"}</c> or <c>{"model", "prompt"}</c>) and get back the
    /// tokens the model would read, chat template included: what "the prompt as the model sees it" draws.
    /// </summary>
    async Task Prompt(HttpContext context)
    {
        RequireJson(context);
        var body = await ReadBody(context).ConfigureAwait(false);
        string model;
        using (var document = ParseBody(body))
            model = String(document.RootElement, "model")
                ?? throw new ChatRequestException("The request names no model.", "model", "missing_required_parameter");
        if (clients.TryGetValue(model, out var client))
        {
            var request = OpenAiRequest.Parse(body);
            var template = client.Assistant.Template;
            var ids = client.PromptTokens(request.Messages);
            await Write(context, 200, new PagePrompt(client.ModelId,
                [.. ids.Select(id => new PageToken(id, template.Tokenizer.Decode([id]), id >= template.EndOfTextId))], ids.Count,
                client.ContextLength)).ConfigureAwait(false);
        }
        else if (completers.TryGetValue(model, out var completer))
        {
            var request = TextRequest.Parse(body);
            var ids = completer.PromptTokens(request.Prompt);
            await Write(context, 200, new PagePrompt(completer.ModelId,
                [.. ids.Select(id => new PageToken(id, completer.Model.Tokenizer.Decode([id]), id == completer.EndOfTextId))], ids.Count,
                completer.ContextLength)).ConfigureAwait(false);
        }
        else throw UnknownModel(model);
    }
}
