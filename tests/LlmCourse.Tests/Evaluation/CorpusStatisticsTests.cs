using LlmCourse.Evaluation;

namespace LlmCourse.Tests.Evaluation;

/// <summary>The measurements behind notebook 02's honesty about its toy corpus: overlap with the corpus and a counting baseline.</summary>
public class CorpusStatisticsTests
{
    static readonly CorpusOverlap Overlap = new([
        "The capital of France is Paris. The river walk at sunset was the highlight of the whole trip.",
        "Children love it, and it is a good way to use up vegetables. Preheat the oven.",
    ]);

    [Fact]
    public void ARemixOfCorpusSentencesIsFoundSentenceBySentence()
    {
        var r = Overlap.Measure("Children love it, and it is a good way to use up vegetables. The capital of France is Paris.");
        Assert.Equal(2, r.Sentences);
        Assert.Equal(2, r.SentencesInCorpus);
        Assert.False(r.InCorpusAsAWhole);                       // the combination is new
        Assert.Equal(15, r.LongestSharedWords);                 // the first sentence, 15 words and marks: "Children love it , … vegetables ."
    }

    [Fact]
    public void SentencesFoundCountsTheSentencesMemoryCouldPredict()
    {
        var (found, sentences) = CorpusOverlap.SentencesFound(
            ["The capital of France is Paris. Preheat the oven to a high heat."],
            ["Preheat the oven to a high heat. A purple elephant sings opera.", "The capital of France is Paris."]);
        Assert.Equal((2, 3), (found, sentences));
    }

    [Fact]
    public void NewTextSharesOnlyShortSpans()
    {
        var r = Overlap.Measure("A purple elephant sings opera in Paris.");
        Assert.Equal(0, r.SentencesInCorpus);
        Assert.Equal(2, r.LongestSharedWords);                  // "Paris ." and no more
    }

    [Fact]
    public void ACopyIsACopy()
    {
        var r = Overlap.Measure("The capital of France is Paris.");
        Assert.True(r.InCorpusAsAWhole);
    }

    [Fact]
    public void TheCountingModelIsADistributionAndLearnsRepetition()
    {
        int[] text = [.. Enumerable.Repeat(new[] { 1, 2, 3, 4 }, 50).SelectMany(x => x)];
        var counting = new NGramBaseline(text, vocabSize: 8);
        var sum = Enumerable.Range(0, 8).Sum(next => counting.Probability(1, 2, next));
        Assert.Equal(1.0, sum, 6);
        Assert.True(counting.Loss(text) < 0.7);                          // a repeating text is easy to predict
        Assert.True(counting.Loss([5, 6, 7, 5, 6, 7]) > Math.Log(8));     // unseen tokens cost more than guessing
    }
}
