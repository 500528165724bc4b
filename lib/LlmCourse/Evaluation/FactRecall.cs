using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>One fact put to the model: the prompt, what it continued with, and whether that was right.</summary>
public sealed record RecallAnswer(FactCount Fact, string Continuation, bool Correct);

/// <summary>Recall of the facts in one mention bucket ("seen 6-15 times").</summary>
public sealed record RecallBucket(string Bucket, int MinMentions, int Facts, int Correct)
{
    public double Recall => Facts == 0 ? 0 : (double)Correct / Facts;
}

/// <summary>
/// How well a model remembers the fact world against how often each fact was in its training data:
/// the prompt of every fact ("The capital of France is") is continued greedily, and the answer counts
/// as recalled when the continuation starts with it. Part 5's hallucination lesson reads this curve:
/// memorised when seen often, vague when seen a few times, invented when never seen.
/// </summary>
public sealed class FactRecall : HtmlView
{
    public IReadOnlyList<RecallAnswer> Answers { get; }
    public IReadOnlyList<RecallBucket> Buckets { get; }

    FactRecall(IReadOnlyList<RecallAnswer> answers)
    {
        Answers = answers;
        Buckets = FactWorld.Buckets
            .Select(b => (b, facts: answers.Where(a => FactWorld.BucketOf(a.Fact.CorpusMentions) == b.Label).ToList()))
            .Where(x => x.facts.Count > 0)
            .Select(x => new RecallBucket(x.b.Label, x.b.Min, x.facts.Count, x.facts.Count(a => a.Correct)))
            .ToList();
    }

    /// <param name="maxTokens">Enough tokens for the longest answer (a two-word job, a four-digit year).</param>
    public static FactRecall Evaluate(LanguageModel model, IEnumerable<FactCount> facts, int maxTokens = 6)
    {
        var answers = facts.Select(f =>
        {
            var continuation = model.Generate(f.Fact.Prompt, maxTokens, Sampling.Greedy);
            return new RecallAnswer(f, continuation, IsCorrect(continuation, f.Fact.Answer));
        }).ToList();
        return new FactRecall(answers);
    }

    /// <summary>The continuation starts with the answer as a whole word: " Paris." yes, " Parisian" no.</summary>
    public static bool IsCorrect(string continuation, string answer)
    {
        var text = continuation.TrimStart();
        return text.StartsWith(answer, StringComparison.Ordinal) &&
               (text.Length == answer.Length || !char.IsLetterOrDigit(text[answer.Length]));
    }

    public Figure Chart() =>
        new Figure("Fact recall by how often the fact was in the corpus")
            .Bar(Buckets.Select(b => $"{b.Bucket} ({b.Facts})"), Buckets.Select(b => Math.Round(100 * b.Recall, 1)),
                 "recalled", labels: Buckets.Select(b => $"{100 * b.Recall:0}%"))
            .XAxis("mentions in the training corpus (facts in the bucket)").YAxis("recalled (%)").Height(340);

    public override string ToHtml() =>
        DataHtml.Table(["mentions in corpus", "facts", "recalled", "recall"],
            Buckets.Select(b => new[] { b.Bucket, b.Facts.ToString(), b.Correct.ToString(), $"{b.Recall:P0}" })) + Chart().ToHtml();

    public override string ToText() =>
        "mentions   facts  recalled  recall\n" +
        string.Join("\n", Buckets.Select(b => $"{b.Bucket,-9} {b.Facts,6} {b.Correct,9} {b.Recall,7:P0}"));
}
