using LlmCourse.Chat;
using LlmCourse.Serving;
using Microsoft.Extensions.AI;

namespace LlmCourse.Tests.Serving;

/// <summary>Microsoft.Extensions.AI's messages in the course template's four roles, and what cannot be mapped.</summary>
public class MessageMappingTests
{
    [Fact]
    public void ASystemMessageIsFoldedIntoTheNextUserMessage()
    {
        var course = MessageMapping.ToCourse([new(ChatRole.System, "Answer briefly."), new(ChatRole.User, "What is the capital of Peru?")]);

        Assert.Equal([Message.User("Answer briefly.\n\nWhat is the capital of Peru?")], course);
    }

    [Fact]
    public void InstructionsComeBeforeSystemMessagesAndAreFoldedTheSameWay()
    {
        var course = MessageMapping.ToCourse([new(ChatRole.System, "Be kind."), new(ChatRole.User, "Hi")], instructions: "You are the course assistant.");

        Assert.Equal("You are the course assistant.\n\nBe kind.\n\nHi", Assert.Single(course).Content);
    }

    [Fact]
    public void ASystemMessageMidConversationGoesIntoTheUserMessageAfterIt()
    {
        var course = MessageMapping.ToCourse([
            new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!"),
            new(ChatRole.System, "From now on, answer in French."), new(ChatRole.User, "How are you?")]);

        Assert.Equal([Message.User("Hi"), Message.Assistant("Hello!"), Message.User("From now on, answer in French.\n\nHow are you?")], course);
    }

    [Fact]
    public void ASystemMessageWithNoUserMessageAfterItIsRefused()
    {
        var e = Assert.Throws<ChatRequestException>(() => MessageMapping.ToCourse([new(ChatRole.User, "Hi"), new(ChatRole.System, "Be brief.")]));

        Assert.Equal("messages[1]", e.Param);
        Assert.Contains("no system role", e.Message);
    }

    [Fact]
    public void ConsecutiveUserMessagesAreJoined()
    {
        var course = MessageMapping.ToCourse([new(ChatRole.User, "Here is a text."), new(ChatRole.User, "Summarise it.")]);

        Assert.Equal([Message.User("Here is a text.\n\nSummarise it.")], course);
    }

    [Fact]
    public void FunctionCallsAndResultsBecomeToolCallsAndResults()
    {
        var course = MessageMapping.ToCourse([
            new(ChatRole.User, "What is 6 times 7?"),
            new(ChatRole.Assistant, [new TextContent("Let me compute. "), new FunctionCallContent("c1", "calculator", new Dictionary<string, object?> { ["expression"] = "6*7" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "42")]),
            new(ChatRole.Assistant, "It is 42."),
        ]);

        Assert.Equal([Message.User("What is 6 times 7?"), Message.Assistant("Let me compute. "), Message.ToolCall("calculator(6*7)"), Message.ToolResult("42"), Message.Assistant("It is 42.")], course);
    }

    [Fact]
    public void TheConversationMayEndWithTheAssistantsTextForTheModelToContinue()
    {
        var course = MessageMapping.ToCourse([new(ChatRole.User, "Name a colour."), new(ChatRole.Assistant, "Blue")]);

        Assert.Equal(Role.Assistant, course[^1].Role);
        // The prompt ends with "Blue", the assistant's turn left open, so the model writes on from there.
        var blue = ChatTemplate.Course.Tokenizer.Encode("Blue");
        Assert.Equal(blue, ChatTemplate.Course.Prompt(course).TakeLast(blue.Count));
    }

    [Theory]
    [InlineData("image")]
    [InlineData("link")]
    [InlineData("reasoning")]
    public void ContentThatIsNotTextIsRefusedNamingTheMessage(string kind)
    {
        AIContent content = kind switch
        {
            "image" => new DataContent(new byte[] { 0x89, 0x50, 0x4e, 0x47 }, "image/png"),
            "link" => new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg"),
            _ => new TextReasoningContent("hmm"),
        };

        var e = Assert.Throws<ChatRequestException>(() => MessageMapping.ToCourse([new(ChatRole.User, [new TextContent("What is this?"), content])]));

        Assert.Equal("messages[0].content", e.Param);
        Assert.Equal("unsupported_content", e.Code);
        Assert.Contains("read text only", e.Message);
        if (kind == "image") Assert.Contains("image/png", e.Message);
    }

    [Theory]
    [InlineData("assistant first", "start with the user")]
    [InlineData("result without call", "must follow the assistant's tool call")]
    [InlineData("call without result", "has no result")]
    [InlineData("no messages", "at least the user's message")]
    [InlineData("unknown role", "the role 'critic'")]
    public void ConversationsTheTemplateCannotReadAreRefused(string shape, string words)
    {
        List<ChatMessage> messages = shape switch
        {
            "assistant first" => [new(ChatRole.Assistant, "How can I help?"), new(ChatRole.User, "Hi")],
            "result without call" => [new(ChatRole.User, "Hi"), new(ChatRole.Tool, [new FunctionResultContent("c1", "42")])],
            "call without result" => [new(ChatRole.User, "Hi"), new(ChatRole.Assistant, [new FunctionCallContent("c1", "calculator")]), new(ChatRole.User, "Well?")],
            "no messages" => [],
            _ => [new(new ChatRole("critic"), "Meh.")],
        };

        var e = Assert.Throws<ChatRequestException>(() => MessageMapping.ToCourse(messages));

        Assert.Contains(words, e.Message);
    }
}
