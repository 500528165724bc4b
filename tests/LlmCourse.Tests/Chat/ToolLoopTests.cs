using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Training;

namespace LlmCourse.Tests.Chat;

/// <summary>
/// The harness's tool loop, with a scripted model: a tiny GPT that has learned one conversation by heart — a question,
/// a calculator call, the result, the answer. The harness must stop it at the call, run the tool, put the result into
/// the context, and let it continue; the model never writes the result itself.
/// </summary>
public class ToolLoopTests
{
    static readonly ChatTemplate Template = ChatTemplate.Course;

    static readonly Conversation Script = new("tool",
        Message.User("What is 17 + 25?"), Message.ToolCall("calculator(17 + 25)"), Message.ToolResult("42"), Message.Assistant("It is 42."));

    static readonly Lazy<LanguageModel> Scripted = new(() =>
    {
        var model = new Gpt(new GptConfig(Template.Tokenizer.VocabSize, ContextLength: 48, Layers: 2, Heads: 2, Width: 32), seed: 5);
        var batches = new ConversationBatches([Template.Render(Script)], contextLength: 48, padId: Template.EndOfTextId);
        using var trainer = new Trainer(model, batches, null, new TrainingConfig(Steps: 150, BatchSize: 1, LearningRate: 3e-3, MinLearningRate: 3e-3, WarmupSteps: 0));
        trainer.Run();
        return new LanguageModel(model, Template.Tokenizer);
    });

    [Fact]
    public void ACallIsRunAndItsResultPutIntoTheContext()
    {
        var calls = new List<string>();
        var assistant = new ChatAssistant(Scripted.Value, Template, call => { calls.Add(call); return "42"; });

        var events = assistant.Reply([Message.User("What is 17 + 25?")], new ReplyOptions(MaxTokens: 20)).ToList();

        Assert.Equal(["calculator(17 + 25)"], calls);
        Assert.Equal(new ToolCalled("calculator(17 + 25)"), events.OfType<ToolCalled>().Single());
        Assert.Equal(new ToolAnswered("calculator(17 + 25)", "42"), events.OfType<ToolAnswered>().Single());
        Assert.Equal("It is 42.", string.Concat(events.OfType<TextPiece>().Select(t => t.Text)));
        // The result came from the tool, not the model: the model's written tokens count excludes it.
        var finished = events.OfType<ReplyFinished>().Single();
        Assert.Equal(ReplyEnd.EndOfTurn, finished.End);
    }

    [Fact]
    public void TheModelReadsWhatTheToolSaid()
    {
        // Whatever the tool answers lands in the context; a scripted model trained on "42" still copies from context
        // only if it reads it — here the tool's answer is recorded in the history as the harness wrote it.
        var session = new ChatSession(new ChatAssistant(Scripted.Value, Template, _ => "42")) { ReservedForReply = 20 };
        session.Ask("What is 17 + 25?");
        Assert.Equal([Role.User, Role.ToolCall, Role.ToolResult, Role.Assistant], session.History.Select(m => m.Role));
        Assert.Equal("42", session.History[2].Content);
    }

    [Fact]
    public void WithoutToolsACallGetsADefinedAnswer()
    {
        var events = new ChatAssistant(Scripted.Value, Template).Reply([Message.User("What is 17 + 25?")], new ReplyOptions(MaxTokens: 20)).ToList();
        Assert.Equal("error: no tools are available", events.OfType<ToolAnswered>().Single().Result);
    }

    [Fact]
    public void ToolResultsAreNeverTrainedOn()
    {
        var rendered = Template.Render(Script);
        var resultTokens = Template.Tokenizer.Encode("42");
        var start = rendered.Tokens.ToList().IndexOf(Template.ToolResultId);
        Assert.All(Enumerable.Range(start, resultTokens.Count + 2), i => Assert.False(rendered.Trained[i]));
    }
}
