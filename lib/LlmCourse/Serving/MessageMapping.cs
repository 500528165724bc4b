using System.Text;
using System.Text.Json;
using LlmCourse.Chat;
using LlmCourse.Tools;
using Microsoft.Extensions.AI;

namespace LlmCourse.Serving;

/// <summary>
/// Microsoft.Extensions.AI's messages as the course's chat template can read them. The template knows four
/// roles — the user, the assistant, and inside the assistant's turn its tool calls and their results — so:
/// <list type="bullet">
/// <item><b>System messages</b> (and <see cref="ChatOptions.Instructions"/>) are folded into the next user message,
/// before its text, separated by a blank line. The models have no system role, and an application's system prompt
/// ("Answer briefly.") is still an instruction the model should read before the question; models without a system
/// role commonly do this (Gemma's chat template does exactly this).</item>
/// <item>Consecutive user messages are joined by a blank line: the template needs the assistant to answer in between,
/// an application does not.</item>
/// <item>An assistant's <see cref="FunctionCallContent"/> becomes a tool call <c>name(argument)</c> and a tool message's
/// <see cref="FunctionResultContent"/> its result, so a model sees its own earlier tool use again.</item>
/// <item>Anything that is not text (images, audio, files, reasoning, ...) cannot be read by a text-only model and is
/// refused with a <see cref="ChatRequestException"/> naming the message.</item>
/// </list>
/// The conversation may end with the user (the usual case), with a tool result, or with the assistant's own text,
/// which the model then continues.
/// </summary>
public static class MessageMapping
{
    /// <summary>The conversation as the course's <see cref="Message"/>s; <paramref name="instructions"/> act as a first system message.</summary>
    public static IReadOnlyList<Message> ToCourse(IEnumerable<ChatMessage> messages, string? instructions = null)
    {
        var list = messages?.ToList() ?? throw new ChatRequestException("The request has no messages.", "messages");
        if (list.Count == 0) throw new ChatRequestException("The request has no messages: send at least the user's message.", "messages");

        var course = new List<Message>();
        var system = new List<string>();       // system text waiting for the next user message
        if (!string.IsNullOrWhiteSpace(instructions)) system.Add(instructions.Trim());
        var systemFrom = -1;                   // the first system message still waiting, for the error below

        for (var i = 0; i < list.Count; i++)
        {
            var message = list[i] ?? throw new ChatRequestException($"messages[{i}] is null.", $"messages[{i}]");
            var role = message.Role;
            if (role == ChatRole.System)
            {
                var text = Text(message, i);
                if (text.Trim().Length > 0) system.Add(text.Trim());
                if (systemFrom < 0) systemFrom = i;
            }
            else if (role == ChatRole.User)
            {
                var text = Text(message, i);
                if (system.Count > 0) { text = string.Join("\n\n", system) + (text.Length > 0 ? "\n\n" + text : ""); system.Clear(); systemFrom = -1; }
                if (course.Count > 0 && course[^1].Role == Role.User)
                    course[^1] = Message.User(course[^1].Content + "\n\n" + text);
                else
                {
                    if (course.Count > 0 && course[^1].Role == Role.ToolCall)
                        throw new ChatRequestException($"messages[{i}]: the tool call before it has no result (a message with role 'tool').", $"messages[{i}]");
                    course.Add(Message.User(text));
                }
            }
            else if (role == ChatRole.Assistant)
            {
                if (course.Count == 0)
                    throw new ChatRequestException($"messages[{i}]: the conversation starts with an assistant message; the course models' conversations start with the user.", $"messages[{i}]");
                AddAssistant(course, message, i);
            }
            else if (role == ChatRole.Tool)
            {
                foreach (var content in message.Contents)
                {
                    if (content is not FunctionResultContent result)
                        throw Unsupported(content, i);
                    if (course.Count == 0 || course[^1].Role != Role.ToolCall)
                        throw new ChatRequestException($"messages[{i}]: a tool result must follow the assistant's tool call.", $"messages[{i}]");
                    course.Add(Message.ToolResult(ResultText(result)));
                }
            }
            else throw new ChatRequestException($"messages[{i}] has the role '{role.Value}'; the course models know system, user, assistant and tool.", $"messages[{i}].role");
        }

        if (system.Count > 0)
            throw new ChatRequestException(
                $"messages[{systemFrom}]: a system message must be followed by a user message. The course models have no system role, so its text goes into the next user message.",
                $"messages[{systemFrom}]");
        if (course.Count == 0)
            throw new ChatRequestException("The request has no user message.", "messages");
        if (course[^1].Role == Role.ToolCall)
            throw new ChatRequestException($"messages[{list.Count - 1}]: the conversation ends with a tool call that has no result.", $"messages[{list.Count - 1}]");
        return course;
    }

    static void AddAssistant(List<Message> course, ChatMessage message, int index)
    {
        var text = new StringBuilder();
        void FlushText()
        {
            if (text.Length == 0) return;
            if (course[^1].Role == Role.ToolCall)
                throw new ChatRequestException($"messages[{index}]: a tool call must be followed by its result (a message with role 'tool') before the assistant writes on.", $"messages[{index}]");
            if (course[^1].Role == Role.Assistant) course[^1] = Message.Assistant(course[^1].Content + text);
            else course.Add(Message.Assistant(text.ToString()));
            text.Clear();
        }
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    text.Append(t.Text);
                    break;
                case FunctionCallContent call:
                    FlushText();
                    if (course[^1].Role == Role.ToolCall)
                        throw new ChatRequestException($"messages[{index}]: two tool calls in a row; the course models call one tool at a time and read its result before the next.", $"messages[{index}]");
                    course.Add(Message.ToolCall(CallText(call, index)));
                    break;
                case UsageContent:
                    break;   // bookkeeping a client may carry along from an earlier response
                default:
                    throw Unsupported(content, index);
            }
        }
        FlushText();
    }

    /// <summary>The call as the model writes it: our own calls exactly as they were, anyone else's as <c>name(argument)</c>.</summary>
    static string CallText(FunctionCallContent call, int index)
    {
        if (call.RawRepresentation is ToolCalled ours) return ours.Call;
        var arguments = call.Arguments ?? new Dictionary<string, object?>();
        if (arguments.Count > 1)
            throw new ChatRequestException(
                $"messages[{index}]: the call to '{call.Name}' has {arguments.Count} arguments; the course models' tools take one text argument, written name(argument).",
                $"messages[{index}]");
        return $"{call.Name}({(arguments.Count == 0 ? "" : AsText(arguments.Values.First()))})";
    }

    /// <summary>What the model reads back for a tool's result.</summary>
    static string ResultText(FunctionResultContent result) =>
        result.Result is null && result.Exception is { } e ? ToolResult.Error(e.Message).Text : AsText(result.Result);

    static string AsText(object? value) => value switch
    {
        null => "",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        _ => value.ToString() ?? "",
    };

    /// <summary>A user's or system message's text; anything but text is refused.</summary>
    static string Text(ChatMessage message, int index)
    {
        var text = new StringBuilder();
        foreach (var content in message.Contents)
        {
            if (content is TextContent t) text.Append(t.Text);
            else throw Unsupported(content, index);
        }
        return text.ToString();
    }

    static ChatRequestException Unsupported(AIContent content, int index)
    {
        var what = content switch
        {
            DataContent d => $"{Article(d.MediaType)} {d.MediaType} attachment",
            UriContent u => $"a link to {Article(u.MediaType)} {u.MediaType} file",
            TextReasoningContent => "reasoning text (send the reasoning as ordinary assistant text)",
            FunctionCallContent => "a tool call (only the assistant calls tools)",
            FunctionResultContent => "a tool result (tool results go in a message with role 'tool')",
            _ => $"content of type {content.GetType().Name}",
        };
        return new ChatRequestException($"messages[{index}] holds {what}; the course models read text only.", $"messages[{index}].content", "unsupported_content");
    }

    static string Article(string mediaType) => "aeiou".Contains(char.ToLowerInvariant(mediaType.FirstOrDefault())) ? "an" : "a";
}
