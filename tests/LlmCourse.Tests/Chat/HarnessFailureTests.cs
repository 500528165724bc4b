using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tools;
using LlmCourse.Training;

namespace LlmCourse.Tests.Chat;

/// <summary>
/// Every way a model can get the tool loop wrong, each played by a scripted model: a tiny GPT that has learned, for
/// each of a few one-letter questions, one exact reply — a call it never closes, a call to a tool that does not exist,
/// a call that cannot be parsed, calls without end, nothing at all. Whatever it writes, the user gets a reply or a note
/// saying what happened, and the conversation goes on.
/// </summary>
public class HarnessFailureTests
{
    static readonly ChatTemplate Template = ChatTemplate.Course;

    /// <summary>The scripts: a question, and the tokens the model learns to write after &lt;|assistant|&gt;.</summary>
    static readonly (string Question, int[] Reply)[] Scripts =
    [
        ("Open a call.", [Template.ToolCallId, .. Encode("search(Paloma Haugen"), Template.EndId]),                    // never closed
        ("Say nothing.", [Template.EndId]),                                                                             // empty
        ("Ask the weather.", [Template.ToolCallId, .. Encode("weather(Paris)"), Template.ToolCallEndId]),                  // unknown tool
        ("Garble a sum.", [Template.ToolCallId, .. Encode("calculator(2 +* 3)"), Template.ToolCallEndId]),              // does not parse
        ("Call and call.", [.. Call(), .. Call(), .. Call(), .. Encode("Done."), Template.EndId]),                       // call after call
        ("Greet me.", [.. Encode("Hello."), Template.EndId]),                                                         // all is well
    ];

    static int[] Encode(string text) => [.. Template.Tokenizer.Encode(text)];

    // A calculator call and its result "2", as the harness writes it back.
    static int[] Call() =>
        [Template.ToolCallId, .. Encode("calculator(1 + 1)"), Template.ToolCallEndId, Template.ToolResultId, .. Encode("2"), Template.ToolResultEndId];

    static readonly Lazy<LanguageModel> Scripted = new(() =>
    {
        var rendered = Scripts.Select(s =>
        {
            var prompt = Template.Prompt([Message.User(s.Question)]);
            // Learn the reply's tokens, but never the tool results written into it (as SFT masks them).
            // Each script padded to a row of its own, so that it is learned from position 0, as it is asked.
            var padding = 65 - prompt.Count - s.Reply.Length;
            var trained = prompt.Select(_ => false).Concat(Learned(s.Reply)).Concat(Enumerable.Repeat(false, padding)).ToList();
            return new RenderedConversation([.. prompt, .. s.Reply, .. Enumerable.Repeat(Template.EndOfTextId, padding)], trained, Template);
        }).ToList();
        var model = new Gpt(new GptConfig(Template.Tokenizer.VocabSize, ContextLength: 64, Layers: 2, Heads: 2, Width: 64), seed: 5);
        var batches = new ConversationBatches(rendered, contextLength: 64, padId: Template.EndOfTextId);
        using var trainer = new Trainer(model, batches, null,
            new TrainingConfig(Steps: 600, BatchSize: Scripts.Length, LearningRate: 3e-3, MinLearningRate: 3e-3, WarmupSteps: 0));
        trainer.Run();
        return new LanguageModel(model, Template.Tokenizer);
    });

    static IEnumerable<bool> Learned(int[] reply)
    {
        var inResult = false;
        foreach (var id in reply)
        {
            if (id == Template.ToolResultId) inResult = true;
            yield return !inResult;
            if (id == Template.ToolResultEndId) inResult = false;
        }
    }

    static List<ReplyEvent> Reply(string question, Func<string, string>? tools = null, ReplyOptions? options = null, TimeSpan? timeout = null)
    {
        var assistant = new ChatAssistant(Scripted.Value, Template, tools) { ToolTimeout = timeout ?? TimeSpan.FromSeconds(30) };
        return assistant.Reply([Message.User(question)], options ?? new ReplyOptions(MaxTokens: 40)).ToList();
    }

    static string Notes(IEnumerable<ReplyEvent> events) => string.Join(" | ", events.OfType<HarnessNote>().Select(n => n.Text));

    static Func<string, string> Course => ToolAssistant.ToolRunner(new ToolBox([new Calculator()]));

    [Fact]
    public void TheScriptedModelWritesWhatAllIsWellLooksLike()
    {
        var events = Reply("Greet me.");
        Assert.Equal("Hello.", string.Concat(events.OfType<TextPiece>().Select(t => t.Text)));
        Assert.Empty(events.OfType<HarnessNote>());
    }

    [Fact]
    public void ACallThatNeverClosesIsReportedNotSwallowed()
    {
        var ran = new List<string>();
        var events = Reply("Open a call.", call => { ran.Add(call); return "?"; });

        Assert.Empty(ran);
        Assert.Empty(events.OfType<ToolCalled>());
        var note = Notes(events);
        Assert.Contains("began a tool call", note);
        Assert.Contains("search(Paloma Haugen", note);
        Assert.Equal(ReplyEnd.EndOfTurn, events.OfType<ReplyFinished>().Single().End);
    }

    [Fact]
    public void AnEmptyReplySaysSoAndTheNextMessageStillWorks()
    {
        var session = new ChatSession(new ChatAssistant(Scripted.Value, Template)) { ReservedForReply = 20, MaxReplyTokens = 30 };
        var events = session.Stream("Say nothing.").ToList();
        Assert.Contains("without writing anything", Notes(events));

        session.Ask("Greet me.");   // once threw: "two user messages in a row"
        Assert.Equal([Role.User, Role.Assistant, Role.User], session.History.Take(3).Select(m => m.Role));
        Assert.NotEqual(Role.User, session.History[^1].Role);
        Assert.Equal("", session.History[1].Content);
    }

    [Fact]
    public void AnUnknownToolAndUnparsableArgumentsGetAnErrorTheModelReads()
    {
        var unknown = Reply("Ask the weather.", Course).OfType<ToolAnswered>().First();
        Assert.StartsWith("error: unknown tool", unknown.Result);
        var garbled = Reply("Garble a sum.", Course).OfType<ToolAnswered>().First();
        Assert.StartsWith("error:", garbled.Result);
    }

    [Fact]
    public void AToolThatThrowsOrHangsBecomesAnErrorResult()
    {
        var failed = Reply("Call and call.", _ => throw new InvalidOperationException("disk on fire"), new ReplyOptions(MaxTokens: 40, MaxToolCalls: 1));
        Assert.Equal("error: the tool failed: disk on fire", failed.OfType<ToolAnswered>().First().Result);
        Assert.Contains("disk on fire", Notes(failed));

        var hung = Reply("Call and call.", _ => { Thread.Sleep(2000); return "2"; }, new ReplyOptions(MaxTokens: 40, MaxToolCalls: 1), TimeSpan.FromMilliseconds(100));
        Assert.Equal("error: the tool did not answer in time", hung.OfType<ToolAnswered>().First().Result);
        Assert.Contains("did not answer within", Notes(hung));
    }

    [Fact]
    public void ALongResultIsCutToLeaveRoomForTheAnswer()
    {
        var events = Reply("Call and call.", _ => string.Join(" ", Enumerable.Repeat("lorem", 500)), new ReplyOptions(MaxTokens: 60, MaxToolCalls: 1));
        var answered = events.OfType<ToolAnswered>().First();
        Assert.True(Template.Tokenizer.Encode(answered.Result).Count <= 64 - ChatAssistant.RoomAfterResult(64), answered.Result);
        Assert.Contains("was cut", Notes(events));
    }

    [Fact]
    public void CallsBeyondTheLimitAreStopped()
    {
        var events = Reply("Call and call.", _ => "2", new ReplyOptions(MaxTokens: 60, MaxToolCalls: 2));
        Assert.Equal(2, events.OfType<ToolAnswered>().Count());
        Assert.Equal(ReplyEnd.ToolCallLimit, events.OfType<ReplyFinished>().Single().End);
        Assert.Contains("a reply may make 2", Notes(events));

        var unlimited = Reply("Call and call.", _ => "2", new ReplyOptions(MaxTokens: 60));
        Assert.Equal(3, unlimited.OfType<ToolAnswered>().Count());
        Assert.Equal("Done.", string.Concat(unlimited.OfType<TextPiece>().Select(t => t.Text)));
    }

    [Fact]
    public void ASessionKeepsTakingTurnsAfterEveryFailure()
    {
        var session = new ChatSession(new ChatAssistant(Scripted.Value, Template, Course)) { ReservedForReply = 20, MaxReplyTokens = 30 };
        foreach (var question in Scripts.Select(s => s.Question).Append(Scripts[0].Question))
            session.Ask(question);
        // Valid for the template (no two user turns in a row, every call answered), and every question answered.
        Template.Prompt(session.History);
        Assert.NotEqual(Role.User, session.History[^1].Role);
    }

    [Fact]
    public void AReplyNeverReadIsStillATurn()
    {
        var session = new ChatSession(new ChatAssistant(Scripted.Value, Template)) { ReservedForReply = 20, MaxReplyTokens = 30 };
        _ = session.Stream("Greet me.");            // never enumerated
        session.Ask("Greet me.");
        Assert.Equal([Role.User, Role.Assistant, Role.User], session.History.Take(3).Select(m => m.Role));
        Template.Prompt(session.History);
    }

    [Fact]
    public void AMessageTooLongForTheContextIsRefusedAndTheConversationKept()
    {
        var session = new ChatSession(new ChatAssistant(Scripted.Value, Template)) { ReservedForReply = 20, MaxReplyTokens = 30 };
        session.Ask("Greet me.");
        var before = session.History.ToList();
        var e = Assert.Throws<ContextWindowException>(() => session.Ask(string.Concat(Enumerable.Repeat("word ", 100))));
        Assert.Contains("does not fit", e.Message);
        Assert.Equal(before, session.History);                 // found by the property tests: it used to drop these first
    }
}
