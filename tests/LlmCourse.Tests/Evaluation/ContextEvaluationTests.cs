using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Training;

namespace LlmCourse.Tests.Evaluation;

/// <summary>
/// `llmcourse eval context`: the prompts only the context can answer, and the shipped base model reading them.
/// </summary>
public class ContextEvaluationTests
{
    [Fact]
    public void StrangersAreNobodyTheCorpusKnows()
    {
        var strangers = ContextEvaluation.Strangers();
        var factWorld = new FactWorld(1).People.Select(p => p.Name).ToHashSet();
        Assert.Equal(40, strangers.Count);
        Assert.Equal(40, strangers.Select(p => p.Name).Distinct().Count());
        Assert.DoesNotContain(strangers, p => factWorld.Contains(p.Name));
        Assert.Equal(strangers, ContextEvaluation.Strangers());   // seeded: the same people every run
    }

    [Theory]
    [InlineData("born")]
    [InlineData("job")]
    public void ACopyPromptStatesTheFactOnceAndStopsWhereItIsAskedAgain(string relation)
    {
        var person = new Person("Ayesha Brightwater", 1984, "locksmith");
        var prompt = ContextEvaluation.CopyPrompt(person, relation, Rng.For(1, 2));
        var answer = relation == "born" ? "1984" : "locksmith";

        Assert.Equal(1, Count(prompt, answer));                       // stated once, before the question
        Assert.Equal(2, Count(prompt, person.Name));                  // introduced, then asked about
        Assert.EndsWith(relation == "born" ? "Ayesha Brightwater was born in" : "Ayesha Brightwater works as a", prompt);
    }

    static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    // Issue 17's target, not met yet: the shipped base copies 1 of 80 and predicts 0.09 % of a repeated random sequence.
    // Un-skip with the base model that reads its context.
    [Fact(Skip = "Issue 17 is open: the shipped base model does not copy from its context yet (copy 1 of 80, induction 0.09 %).")]
    public void TheShippedBaseModelCopiesFromItsContext()
    {
        var lm = BaseModel.LoadShipped();
        using var _ = lm.Model;
        var copy = ContextEvaluation.Copy(lm, "base");
        var induction = Induction.Measure(lm);

        Assert.True(copy.Rate >= 0.8, $"{copy.Correct} of {copy.Cases}: {copy.Example} → {copy.ModelWrote}");
        Assert.True(induction.Score >= 0.8, induction.ToString());
        Assert.True(induction.SecondCopyLoss < induction.FirstCopyLoss / 4, induction.ToString());
    }
}
