using LlmCourse.Evaluation;
using LlmCourse.Practice;

namespace LlmCourse.Tests.Evaluation;

/// <summary>Answers are graded against the fact table exactly — correct, wrong or refused — and worked steps are checked.</summary>
public class GradingTests
{
    [Theory]
    [InlineData("The capital of Kenya is Nairobi.", "Nairobi", Verdict.Correct)]
    [InlineData("The capital of Kenya is Mombasa.", "Nairobi", Verdict.Wrong)]
    [InlineData("I don't know the capital of Kenya.", "Nairobi", Verdict.Refused)]
    [InlineData("I could not find Kenya in my search results.", "Nairobi", Verdict.Refused)]
    [InlineData("Paloma Haugen was born in 19851.", "1985", Verdict.Wrong)]     // a number must match whole
    [InlineData("Paloma Haugen was born in 1985.", "1985", Verdict.Correct)]
    [InlineData("", "1985", Verdict.Wrong)]
    public void RepliesAreGradedExactly(string reply, string answer, Verdict verdict) =>
        Assert.Equal(verdict, Hallucination.Grade(reply, answer));

    [Fact]
    public void EachWorkedStepIsRecomputed()
    {
        var steps = StepCheck.Of("The oranges cost 2 × $2 = $4. The total is $13, so the apples cost $13 - $4 = $8. Each costs $9 ÷ 3 = $3.");
        Assert.Equal([true, false, true], steps.Select(s => s.Right));
        Assert.Equal("9", steps[1].Actual);
        Assert.Empty(StepCheck.Of("The answer is 3."));
    }
}
