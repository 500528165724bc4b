using LlmCourse.Tools;

namespace LlmCourse.Tests.Tools;

public class PassagesTests
{
    [Fact]
    public void SplitsParagraphsIntoSentences() =>
        Assert.Equal(
            ["Mexico's capital is Mexico City.", "In Germany, the capital is Berlin.", "Notes", "Is it 1959?", "Yes!", "\"Quoted,\" she said."],
            Passages.Sentences("Mexico's capital is Mexico City. In Germany, the capital is Berlin.\n\nNotes\n\nIs it 1959?\nYes! \"Quoted,\" she said."));

    [Fact]
    public void KeepsDecimalsAndLowerCaseContinuationsInOneSentence() =>
        Assert.Equal(["It costs $2.50 each.", "The answer is 3. and so on."], Passages.Sentences("It costs $2.50 each. The answer is 3. and so on."));

    [Fact]
    public void CollapsesWhitespaceAndDropsEmptyParagraphs() =>
        Assert.Equal(["A b c."], Passages.Sentences("\n\n  A \t b\n c.  \n\n\n\n"));
}
