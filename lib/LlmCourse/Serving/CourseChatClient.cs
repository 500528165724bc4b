using System.Runtime.CompilerServices;
using LlmCourse.Chat;
using Microsoft.Extensions.AI;

namespace LlmCourse.Serving;

/// <summary>
/// A course chat model behind <see cref="IChatClient"/>, the interface .NET applications call chat models through
/// (Microsoft.Extensions.AI): the same code then talks to this model in process, to <c>llmcourse serve</c> over HTTP,
/// or to any hosted model.
/// </summary>
/// <remarks>
/// <para><b>Options.</b> <see cref="ChatOptions"/> map onto the course sampler (temperature, top-p, top-k, max output
/// tokens, stop sequences, seed); the defaults are greedy and seed 0 (see <see cref="OptionsMapping"/>). Out-of-range
/// values and options the models cannot honour are refused with a <see cref="ChatRequestException"/>.</para>
/// <para><b>Messages.</b> System messages are folded into the next user message; anything but text is refused
/// (see <see cref="MessageMapping"/>).</para>
/// <para><b>Tools.</b> A course model's tools are built in: it was trained to write <c>calculator(13 - 4)</c> between its
/// tool-call tokens, and the harness (<see cref="ChatAssistant"/>) runs the call and writes the result back, all inside
/// one reply. The response shows what happened as a <see cref="FunctionCallContent"/> (marked
/// <see cref="FunctionCallContent.InformationalOnly"/>: it already ran, nothing should run it again) in an assistant
/// message, then a tool message with the <see cref="FunctionResultContent"/>, then the assistant's text. Tools cannot
/// be added by a request (<see cref="ChatOptions.Tools"/> is refused); <see cref="ChatToolMode.None"/> turns the built-in
/// ones off, so a call the model writes anyway gets "error: no tools are available".</para>
/// <para><b>Concurrency.</b> Requests to one model take turns (<see cref="ModelGate"/>); a cancelled request stops
/// generating within a token and frees the model.</para>
/// </remarks>
/// <example>
/// <code>
/// IChatClient client = CourseChatClient.Load("assistant");
/// var response = await client.GetResponseAsync("What is the capital of France?");
/// Console.WriteLine($"{response.Text} ({response.Usage?.InputTokenCount} tokens in, {response.Usage?.OutputTokenCount} out)");
/// await foreach (var update in client.GetStreamingResponseAsync("Tell me about Peru.", new() { Temperature = 0.8f, Seed = 1 }))
///     Console.Write(update.Text);
/// </code>
/// </example>
public sealed class CourseChatClient : IChatClient
{
    /// <param name="assistant">The model (and its tools, if it has any).</param>
    /// <param name="modelId">The name it answers to, e.g. "assistant" (the response's <see cref="ChatResponse.ModelId"/>).</param>
    public CourseChatClient(ChatAssistant assistant, string modelId)
    {
        ArgumentNullException.ThrowIfNull(assistant);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        Assistant = assistant;
        ModelId = modelId;
        Metadata = new ChatClientMetadata("llmcourse", providerUri: null, defaultModelId: modelId);
    }

    /// <summary>A shipped chat model by name ("assistant", and the later parts' models); unknown names get an error listing the known ones.</summary>
    public static CourseChatClient Load(string name = "assistant") => new(CourseModels.LoadChat(name), CourseModels.Find(name).Name);

    public ChatAssistant Assistant { get; }
    public string ModelId { get; }
    public ChatClientMetadata Metadata { get; }

    /// <summary>Tokens the model reads at most: the conversation with its chat tokens, plus the reply.</summary>
    public int ContextLength => Assistant.Model.Model.Config.ContextLength;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Prepare(messages, options);
        var updates = new List<ChatResponseUpdate>();
        var ids = new ReplyUpdates(ModelId);
        await foreach (var e in Generate(request, cancellationToken).ConfigureAwait(false))
            updates.AddRange(ids.For(e));
        return ReplyUpdates.ToResponse(updates);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Prepare(messages, options);
        var ids = new ReplyUpdates(ModelId);
        await foreach (var e in Generate(request, cancellationToken).ConfigureAwait(false))
            foreach (var update in ids.For(e))
                yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return Metadata;
        if (serviceType == typeof(ChatAssistant)) return Assistant;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>
    /// The conversation as the model reads it: the chat template's tokens, ending with &lt;|assistant|&gt; where the reply
    /// begins (what the chat page shows, Tiktokenizer-style). Refused as a request would be, except for its length.
    /// </summary>
    public IReadOnlyList<int> PromptTokens(IEnumerable<ChatMessage> messages)
    {
        try { return Assistant.Template.Prompt(MessageMapping.ToCourse(messages)); }
        catch (ArgumentException e) when (e is not ChatRequestException)
        {
            throw new ChatRequestException("The conversation does not fit the course chat template: " + e.Message, "messages");
        }
    }

    /// <summary>Nothing to release: the model belongs to whoever made it, and may serve other clients.</summary>
    public void Dispose() { }

    public override string ToString() => $"{ModelId}: {Assistant.Model.Model.ParameterCount:N0} parameters, context {ContextLength} tokens (llmcourse)";

    sealed record Request(IReadOnlyList<Message> History, ReplySettings Settings);

    /// <summary>Everything that can be wrong with a request is found here, before any token is generated.</summary>
    Request Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.ModelId is { } asked && !string.Equals(asked, ModelId, StringComparison.OrdinalIgnoreCase))
            throw new ChatRequestException($"This client serves '{ModelId}', not '{asked}'.", "model", "model_not_found", 404);
        return new Request(MessageMapping.ToCourse(messages, options?.Instructions), OptionsMapping.ToCourse(options, ContextLength));
    }

    /// <summary>The reply's events, generated while this request holds the model's gate (see <see cref="ModelGate.Stream"/>).</summary>
    IAsyncEnumerable<ReplyEvent> Generate(Request request, CancellationToken cancellationToken)
    {
        var assistant = request.Settings.UseTools ? Assistant : new ChatAssistant(Assistant.Model, Assistant.Template);
        return ModelGate.Stream(Assistant.Model.Model, stop => Start(assistant, request, stop), cancellationToken);
    }

    /// <summary>The assistant's reply, lazily; the conversation's length is checked at once.</summary>
    static IEnumerable<ReplyEvent> Start(ChatAssistant assistant, Request request, CancellationToken cancellation)
    {
        try { return assistant.Reply(request.History, request.Settings.Reply, cancellation); }
        catch (ContextWindowException e)
        {
            throw new ChatRequestException(e.Message + " Shorten the conversation (drop its oldest turns) or start a new one.", "messages", "context_length_exceeded");
        }
        catch (ArgumentException e) when (e is not ChatRequestException)
        {
            throw new ChatRequestException("The conversation does not fit the course chat template: " + e.Message, "messages");
        }
    }
}
