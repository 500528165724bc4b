using LlmCourse.Tasks;

namespace LlmCourse.Tests.Tasks;

/// <summary>Word problems are graded exactly, and held-out problems stay out of training.</summary>
public class WordProblemTests
{
    static readonly WordProblem Emily = new("fruit cost", 3,
        "Emily buys 3 apples and 2 oranges. Each orange costs $2. The total cost is $13. What is the cost of each apple?",
        "The oranges cost 2 × $2 = $4. The total is $13, so the apples cost $13 - $4 = $9. There are 3 apples, so each apple costs $9 ÷ 3 = $3.", 3);

    [Theory]
    [InlineData("The oranges cost $4. The answer is 3.", 1)]
    [InlineData("The answer is 3.", 1)]
    [InlineData("The answer is 4.", 0)]
    [InlineData("Each apple costs $3.", 0)]                 // right number, but no answer line
    [InlineData("The answer is three.", 0)]                 // malformed
    [InlineData("The answer is 4. Wait. The answer is 3.", 1)]  // the conclusion counts
    [InlineData("", 0)]
    public void TheCheckerReadsOnlyTheAnswerLine(string reply, double reward) =>
        Assert.Equal(reward, WordProblems.Reward(reply, Emily));

    [Fact]
    public void WorkedRepliesPassTheirOwnChecker()
    {
        foreach (var p in WordProblems.Training(60))
        {
            Assert.Equal(1, WordProblems.Reward(p.WorkedReply, p));
            Assert.Equal(1, WordProblems.Reward(p.DirectReply, p));
        }
    }

    [Fact]
    public void HeldOutProblemsNeverAppearInTraining()
    {
        var heldOut = WordProblems.HeldOut().Select(p => p.Question).ToHashSet();
        Assert.DoesNotContain(WordProblems.Training(3000), p => heldOut.Contains(p.Question));
        Assert.Equal(WordProblems.HeldOut().Select(p => p.Question), WordProblems.HeldOut().Select(p => p.Question));   // seeded
    }

    [Fact]
    public void EveryFamilyAndDifficultyIsHeldOut()
    {
        var heldOut = WordProblems.HeldOut();
        Assert.Equal(WordProblems.Families.Select(f => f.Family).Order(), heldOut.Select(p => p.Family).Distinct().Order());
        Assert.Equal([1, 2, 3], heldOut.Select(p => p.Difficulty).Distinct().Order());
    }
}
