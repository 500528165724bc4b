using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Tokenization;
using LlmCourse.Training;

namespace LlmCourse.Tests.Evaluation;

/// <summary>
/// The shipped base model is good enough to teach with: it remembers what it saw often and not what it
/// saw once — the curve part 5's hallucination lesson is built on.
/// </summary>
public class BaseModelTests
{
    [Theory]
    [InlineData(" Paris.", "Paris", true)]
    [InlineData("Paris, the city", "Paris", true)]
    [InlineData(" Parisian food", "Paris", false)]
    [InlineData(" Lyon", "Paris", false)]
    [InlineData(" 1962 and works", "1962", true)]
    [InlineData(" 19621", "1962", false)]
    public void AnAnswerCountsOnlyAsAWholeWordAtTheStart(string continuation, string answer, bool correct) =>
        Assert.Equal(correct, FactRecall.IsCorrect(continuation, answer));

    [Fact]
    public void CorpusTokensEndEveryDocumentWithEndOfText()
    {
        var tokenizer = CourseTokenizer.LoadShipped();
        var rows = CorpusParquet.ReadShipped().Take(3).ToList();
        var tokens = BaseModel.CorpusTokens(tokenizer, rows);

        var endOfText = tokenizer.SpecialTokens[BaseModel.EndOfText];
        Assert.Equal(3, tokens.Count(t => t == endOfText));
        Assert.Equal(endOfText, tokens[^1]);
        Assert.Equal(rows[0].Text, tokenizer.Decode(tokens.TakeWhile(t => t != endOfText)));
    }

    [Fact]
    public void ShippedModelRecallsFrequentFactsAndNotRareOnes()
    {
        var lm = BaseModel.LoadShipped();
        using var _ = lm.Model;
        var recall = FactRecall.Evaluate(lm, FactWorld.ReadTsv(CourseData.PathOf("facts.tsv")));

        var frequent = recall.Buckets.Where(b => b.MinMentions >= 151).ToList();
        var rare = recall.Buckets.Where(b => b.MinMentions is >= 1 and <= 2).ToList();
        var never = recall.Buckets.Single(b => b.MinMentions == 0);
        double Recall(IEnumerable<RecallBucket> buckets) => (double)buckets.Sum(b => b.Correct) / buckets.Sum(b => b.Facts);

        Assert.True(Recall(frequent) >= 0.8, recall.ToText());
        Assert.True(Recall(rare) <= Recall(frequent) / 2, recall.ToText());
        Assert.True(never.Recall <= 0.1, recall.ToText());   // only a lucky guess (a common job, a likely year) can be right
        Assert.Contains(recall.Answers, a => a.Fact.Fact.Entity == "France" && a.Correct);
    }
}
