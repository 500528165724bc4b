using LlmCourse.Chat;
using LlmCourse.Serving;
using Microsoft.Extensions.AI;

namespace LlmCourse.Tests.Serving;

/// <summary>The course models behind IChatClient, in process: answers, usage, streaming, options, tools, cancellation.</summary>
public class ChatClientTests
{
    static CourseChatClient Client() => new(TinyChat.Trained(), "tiny");

    [Fact]
    public async Task APlainRequestGetsTheModelsAnswerAndItsTokenCounts()
    {
        var response = await Client().GetResponseAsync(TinyChat.ColourQuestion);

        Assert.Equal(TinyChat.ColourAnswer, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("tiny", response.ModelId);
        var prompt = ChatTemplate.Course.Prompt([Message.User(TinyChat.ColourQuestion)]).Count;
        Assert.Equal(prompt, response.Usage!.InputTokenCount);
        Assert.Equal(ChatTemplate.Course.Tokenizer.Encode(TinyChat.ColourAnswer).Count, response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }
}
