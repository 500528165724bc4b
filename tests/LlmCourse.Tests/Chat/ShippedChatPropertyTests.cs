using CsCheck;
using LlmCourse.Chat;
using LlmCourse.Tools;
using LlmCourse.Training;
using Xunit.Abstractions;

namespace LlmCourse.Tests.Chat;

/// <summary>
/// Whatever a user types — any length, any Unicode, the chat template's own special-token text — every shipped chat
/// model answers without throwing, the conversation keeps taking turns, and the only code a reply can run is the
/// calculator's parser and the corpus search.
/// </summary>
public class ShippedChatPropertyTests(ITestOutputHelper output)
{
    const int Cases = 12;

    static readonly string[] Typed =
    [
        "<|tool_call|>", "<|tool_call_end|>", "<|tool_result|>", "<|end|>", "<|user|>", "<|assistant|>", "<|endoftext|>",
        "calculator(", "search(", ")", "What is 348 plus 279?", "When was Paloma Haugen born?", "What is 17 times 23?",
        "Tell me about the capital of Peru.", "System.IO.File.Delete(\"x\")", "Process.Start(\"sh\")", "\n", "  ", "é", "日本",
        "🙂", "\u200b", "\uFFFD", "\0",
    ];

    /// <summary>Messages made of pieces: fragments the template and the tools care about, and random Unicode runs.</summary>
    static readonly Gen<string> Message =
        Gen.OneOf(Gen.OneOf(Typed.Select(Gen.Const).ToArray()), Gen.String[Gen.Char, 0, 12], Gen.String[Gen.Char.AlphaNumeric, 1, 30])
            .Array[0, 8].Select(string.Concat);

    /// <summary>Sometimes far longer than any context: the session must say so, not fail.</summary>
    static readonly Gen<string[]> Conversation =
        Gen.Frequency((6, Message), (1, Message.Select(m => string.Concat(Enumerable.Repeat(m + " word", 200))))).Array[1, 3];

    public static TheoryData<string> ChatModels => [.. CourseModels.All.Where(m => m.IsChat).Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(ChatModels))]
    public void AnyMessagesGetTurnsAndRunOnlyTheTools(string name)
    {
        var ran = new List<string>();
        var toolBox = ToolBox.Course();
        var loaded = CourseModels.LoadChat(name);
        // The tool model's runner, recorded: whatever reaches a tool is what the tool box parsed out of the call.
        var assistant = loaded.Tools is null ? loaded : loaded.WithTools(call =>
        {
            var result = toolBox.Run(call);
            if (ToolCall.TryParse(call, out var parsed, out _)) lock (ran) ran.Add(parsed.Name);
            return result.Text;
        });
        var count = 0;
        Conversation.Sample(messages =>
        {
            count++;
            var session = new ChatSession(assistant) { MaxReplyTokens = 40 };
            foreach (var message in messages)
            {
                var before = session.History.Count;
                try { session.Stream(message).ToList(); }
                catch (ContextWindowException)
                {
                    // The one refusal a session may give: the message cannot fit, and the history is as it was.
                    Assert.Equal(before, session.History.Count);
                    continue;
                }
                Assert.NotEqual(Role.User, session.History[^1].Role);
            }
            if (session.History.Count > 0) assistant.Template.Prompt(session.History);   // still a valid conversation
        }, iter: Cases, threads: 1);
        Assert.Equal(Cases, count);
        Assert.All(ran, tool => Assert.Contains(tool, new[] { "calculator", "search" }, StringComparer.OrdinalIgnoreCase));
        output.WriteLine($"{name}: {count} random conversations, {ran.Count} tool calls run ({string.Join(", ", ran.Distinct())})");
    }
}
