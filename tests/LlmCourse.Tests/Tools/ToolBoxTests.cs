using LlmCourse.Tools;

namespace LlmCourse.Tests.Tools;

public class ToolBoxTests
{
    /// <summary>A tool that answers with whatever it is told to, to test the box without the real tools.</summary>
    sealed class Echo(Func<string, string> answer) : ITool
    {
        public string Name => "echo";
        public string Description => "echo(text): says it back";
        public ToolResult Run(string argument) => new(answer(argument));
    }

    static readonly ToolBox Box = new([new Calculator(), new Echo(a => a)]);

    [Fact]
    public void RunsACallByName()
    {
        Assert.Equal(new ToolResult("3"), Box.Run("calculator(9 ÷ 3)"));
        Assert.Equal(new ToolResult("hello (world)"), Box.Run("echo(hello (world))"));
        Assert.Equal(new ToolResult("3"), Box.Run(new ToolCall("calculator", "(13 - 4) / 3")));
    }

    [Fact]
    public void NamesAreCaseInsensitive() =>
        Assert.Equal("4", Box.Run("Calculator(2 + 2)").Text);

    [Fact]
    public void AnUnknownToolIsAnErrorListingTheTools()
    {
        var result = Box.Run("weather(Luanda)");
        Assert.Equal("error: unknown tool 'weather'; tools: calculator, echo", result.Text);
        Assert.True(result.IsError);
    }

    [Fact]
    public void AMalformedCallIsAnError()
    {
        var result = Box.Run("calculator(1 + 2");
        Assert.Equal("error: malformed call 'calculator(1 + 2': missing ')'", result.Text);
        Assert.True(result.IsError);
    }

    [Fact]
    public void ATooLongResultIsCutToTheLimit()
    {
        var box = new ToolBox([new Echo(_ => string.Join(' ', Enumerable.Repeat("word", 100)))], maxResultLength: 60);
        var result = box.Run("echo(x)");
        Assert.True(result.Text.Length <= 60, result.Text);
        Assert.EndsWith("…", result.Text);
        Assert.False(result.IsError);
    }

    [Fact]
    public void TheDefaultLimitIsAboutFiftyTokens()
    {
        var result = new ToolBox([new Echo(_ => new string('a', 1_000))]).Run("echo(x)");
        Assert.Equal(ToolResult.DefaultMaxLength, result.Text.Length);
    }

    [Fact]
    public void AToolThatThrowsCostsOneErrorResultNotTheSession()
    {
        var box = new ToolBox([new Echo(_ => throw new InvalidOperationException("boom\nsecond line"))]);
        var result = box.Run("echo(x)");
        Assert.Equal("error: echo failed: boom second line", result.Text);
        Assert.True(result.IsError);
    }

    [Fact]
    public void TwoToolsCannotShareAName() =>
        Assert.Throws<ArgumentException>(() => new ToolBox([new Echo(a => a), new Echo(a => a)]));

    [Fact]
    public void DescribesEachToolOnOneLine() =>
        Assert.Equal(
            "calculator(expression): exact arithmetic with + - * / × ÷ and parentheses, e.g. calculator((13 - 4) / 3)\necho(text): says it back",
            Box.Describe());

    [Fact]
    public void TheCourseToolBoxHasTheCalculatorAndSearch()
    {
        var box = ToolBox.Course();
        Assert.Equal(["calculator", "search"], box.Tools.Select(t => t.Name));
        Assert.Equal("3", box.Run("calculator(9 ÷ 3)").Text);
        Assert.Contains("Luanda", box.Run("search(capital of Angola)").Text);
    }
}
