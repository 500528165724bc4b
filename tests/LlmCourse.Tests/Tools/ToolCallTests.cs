using CsCheck;
using LlmCourse.Tools;

namespace LlmCourse.Tests.Tools;

public class ToolCallTests
{
    [Theory]
    [InlineData("search(capital of Angola)", "search", "capital of Angola")]
    [InlineData("calculator((13 - 4) / 3)", "calculator", "(13 - 4) / 3")]   // first "(" to last ")"
    [InlineData("  search ( Luanda )  ", "search", "Luanda")]
    [InlineData("search(f(x) and g(y))", "search", "f(x) and g(y)")]
    [InlineData("search()", "search", "")]
    [InlineData("search(\"quoted\" : AND *)", "search", "\"quoted\" : AND *")]
    [InlineData("web_search2(x)", "web_search2", "x")]
    public void ParsesNameAndArgument(string text, string name, string argument) =>
        Assert.Equal(new ToolCall(name, argument), ToolCall.Parse(text));

    [Theory]
    [InlineData("", "empty tool call, expected name(argument)")]
    [InlineData("search", "malformed call 'search': expected name(argument)")]
    [InlineData("search(capital", "malformed call 'search(capital': missing ')'")]
    [InlineData("search)x(", "malformed call 'search)x(': missing ')'")]
    [InlineData("search(x) and more", "malformed call 'search(x) and more': text after ')'")]
    [InlineData("(x)", "malformed call '(x)': missing tool name")]
    [InlineData("rm -rf(x)", "malformed call: bad tool name 'rm -rf'")]
    [InlineData("2x(1)", "malformed call: bad tool name '2x'")]
    [InlineData("search\n(x", "malformed call 'search (x': missing ')'")]   // the message stays on one line
    public void MalformedCallsSayWhatIsWrong(string text, string message)
    {
        Assert.False(ToolCall.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => ToolCall.Parse(text)).Message);
    }

    [Fact]
    public void ALongMalformedCallIsQuotedShort()
    {
        Assert.False(ToolCall.TryParse("search(" + new string('a', 10_000), out _, out var error));
        Assert.True(error.Length < 80, error);
        Assert.EndsWith("…': missing ')'", error);
    }

    [Fact]
    public void PrintsAsTheModelWritesIt() =>
        Assert.Equal("calculator((13 - 4) / 3)", ToolCall.Parse("calculator( (13 - 4) / 3 )").ToString());

    [Fact]
    public void AnyTextParsesOrFailsWithoutThrowing() =>
        Gen.OneOf(Gen.Char["search(calc) \n"], Gen.Char).Array[0, 40].Select(cs => new string(cs)).Sample(text =>
        {
            if (ToolCall.TryParse(text, out var call, out var error))
                Assert.Equal(call, ToolCall.Parse(call.ToString()));
            else
                Assert.DoesNotContain('\n', error);
        }, iter: 5_000);
}
