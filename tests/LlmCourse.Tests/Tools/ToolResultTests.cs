using LlmCourse.Tools;

namespace LlmCourse.Tests.Tools;

public class ToolResultTests
{
    [Fact]
    public void AShortResultIsLeftAsItIs()
    {
        var result = new ToolResult("Luanda");
        Assert.Same(result, result.Truncate(10));
    }

    [Fact]
    public void ALongResultIsCutBetweenWordsAndEndsWithAnEllipsis()
    {
        var text = string.Join(' ', Enumerable.Repeat("Luanda is the capital of Angola.", 20));
        var cut = new ToolResult(text).Truncate(200).Text;
        Assert.True(cut.Length <= 200, $"{cut.Length}");
        Assert.True(cut.Length >= 150, $"{cut.Length}");
        Assert.EndsWith("…", cut);
        Assert.StartsWith(cut[..^1], text);
        Assert.Equal(' ', text[cut.Length - 1]);   // the cut fell on a space: no broken word
    }

    [Fact]
    public void ALongWordIsCutWhereItMustBe()
    {
        var cut = ToolResult.Cut(new string('7', 500), 200);
        Assert.Equal(new string('7', 199) + "…", cut);
    }

    [Fact]
    public void ACutNeverSplitsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 300));   // every emoji is two chars
        var cut = ToolResult.Cut(text, 200);
        Assert.True(cut.Length <= 200);
        Assert.False(char.IsHighSurrogate(cut[^2]), "the emoji before the ellipsis is whole");
        Assert.Equal(text[..(cut.Length - 1)], cut[..^1]);
    }

    [Fact]
    public void AnErrorIsOneLineAndMarked()
    {
        var error = ToolResult.Error("bad\nthing\r\nhere");
        Assert.Equal("error: bad thing here", error.Text);
        Assert.True(error.IsError);
        Assert.Equal("error: bad thing here", error.ToString());
    }

    [Fact]
    public void TruncationKeepsTheErrorFlag() =>
        Assert.True(ToolResult.Error(new string('x', 300)).Truncate(50).IsError);
}
