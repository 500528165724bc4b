using LlmCourse.Chat;
using LlmCourse.Tools;
using Microsoft.Extensions.AI;

namespace LlmCourse.Serving;

/// <summary>
/// The assistant's <see cref="ReplyEvent"/>s as Microsoft.Extensions.AI updates, in the shape a tool-calling
/// provider gives them: the assistant's text and its calls in one assistant message, each tool result in a tool
/// message of its own, the text after it in a new assistant message, and last the finish reason and token usage.
/// </summary>
sealed class ReplyUpdates(string modelId)
{
    readonly string responseId = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
    readonly DateTimeOffset created = DateTimeOffset.UtcNow;
    int message;          // the current message's number within the response
    int calls;
    string? callId;       // the call waiting for its result

    public IEnumerable<ChatResponseUpdate> For(ReplyEvent e)
    {
        switch (e)
        {
            case TextPiece { Text.Length: > 0 } piece:
                yield return Update(ChatRole.Assistant, new TextContent(piece.Text) { RawRepresentation = piece });
                break;
            case ToolCalled call:
                callId = $"call_{responseId[9..]}_{calls++}";
                var (name, arguments) = ToolCall.TryParse(call.Call, out var parsed, out _)
                    ? (parsed.Name, new Dictionary<string, object?> { ["argument"] = parsed.Argument })
                    : (call.Call.Trim(), null);   // malformed: the harness answers it with an error, shown as it was written
                // Already run by the harness: InformationalOnly tells function-invoking middleware not to run it again.
                yield return Update(ChatRole.Assistant, new FunctionCallContent(callId, name, arguments) { InformationalOnly = true, RawRepresentation = call });
                break;
            case HarnessNote note:
                // What the harness did or could not do (a tool call never closed, an empty reply): said in the message, in
                // brackets, so a client never gets an empty string without a reason.
                yield return Update(ChatRole.Assistant, new TextContent($" [{note.Text}]") { RawRepresentation = note });
                break;
            case ToolAnswered answer:
                message++;
                yield return Update(ChatRole.Tool, new FunctionResultContent(callId ?? "", answer.Result) { RawRepresentation = answer });
                message++;
                callId = null;
                break;
            case ReplyFinished finished:
                var usage = new UsageDetails
                {
                    InputTokenCount = finished.PromptTokens,
                    OutputTokenCount = finished.CompletionTokens,
                    TotalTokenCount = finished.PromptTokens + finished.CompletionTokens,
                };
                var last = Update(ChatRole.Assistant, new UsageContent(usage));
                last.FinishReason = finished.End is ReplyEnd.EndOfTurn or ReplyEnd.StopSequence ? ChatFinishReason.Stop : ChatFinishReason.Length;
                last.RawRepresentation = finished;   // how exactly it ended (end of turn, stop sequence, token limit, full context)
                yield return last;
                break;
        }
    }

    ChatResponseUpdate Update(ChatRole role, AIContent content) => new(role, [content])
    {
        ResponseId = responseId,
        MessageId = $"{responseId}-{message}",
        ModelId = modelId,
        CreatedAt = created,
    };

    /// <summary>The updates of one reply put together: one message per message id, adjacent text joined, usage and finish reason on the response.</summary>
    public static ChatResponse ToResponse(IReadOnlyList<ChatResponseUpdate> updates)
    {
        var response = new ChatResponse();
        ChatMessage? current = null;
        foreach (var update in updates)
        {
            response.ResponseId ??= update.ResponseId;
            response.ModelId ??= update.ModelId;
            response.CreatedAt ??= update.CreatedAt;
            if (update.FinishReason is { } reason) response.FinishReason = reason;
            foreach (var content in update.Contents)
            {
                if (content is UsageContent usage) { response.Usage = usage.Details; continue; }
                if (current is null || current.MessageId != update.MessageId)
                {
                    current = new ChatMessage(update.Role ?? ChatRole.Assistant, []) { MessageId = update.MessageId };
                    response.Messages.Add(current);
                }
                if (content is TextContent text && current.Contents.Count > 0 && current.Contents[^1] is TextContent before)
                    current.Contents[^1] = new TextContent(before.Text + text.Text);
                else current.Contents.Add(content is TextContent t ? new TextContent(t.Text) : content);
            }
        }
        // A reply may be empty (the model ended its turn at once); it is still the assistant's message.
        if (response.Messages.Count == 0)
            response.Messages.Add(new ChatMessage(ChatRole.Assistant, [new TextContent("")]) { MessageId = updates.FirstOrDefault()?.MessageId });
        return response;
    }
}
