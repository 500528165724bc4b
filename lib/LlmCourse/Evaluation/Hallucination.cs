using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

public enum Verdict { Correct, Wrong, Refused }

/// <summary>A fact question, the model's reply, its grade, and how sure the model was of the value it gave.</summary>
/// <param name="Confidence">The probability the model gave the value it stated ("Nairobi" in "The capital of Kenya is Nairobi."), at temperature 1; null when the reply states no value.</param>
public sealed record FactReply(FactCount Fact, string Question, string Reply, Verdict Verdict, double? Confidence);

/// <summary>
/// Hallucination, measured: every fact asked as a question, each reply graded against the fact table — correct,
/// wrong (a confident invention) or refused ("I don't know") — and the probability the model gave the value it
/// stated, so confidence can be set against correctness.
/// </summary>
public static class Hallucination
{
    /// <summary>What counts as declining to answer: the phrases the honest assistant's data uses.</summary>
    public static IReadOnlyList<string> RefusalMarkers { get; } = ["I don't know", "I do not know", "I could not find", "I am not sure"];

    public static Verdict Grade(string reply, string answer) =>
        RefusalMarkers.Any(m => reply.Contains(m, StringComparison.OrdinalIgnoreCase)) ? Verdict.Refused
        : ChatEvaluation.ContainsWord(reply, answer) ? Verdict.Correct
        : Verdict.Wrong;

    /// <summary>Asks <paramref name="assistant"/> about each fact (greedy, one phrasing per fact, all at once) and grades the replies.</summary>
    public static IReadOnlyList<FactReply> Ask(ChatAssistant assistant, IEnumerable<FactCount> facts, ulong seed = 1)
    {
        var rng = Rng.For(seed, 0x4A11);
        var asked = facts.Select(f => (Fact: f, History: (IReadOnlyList<Message>)[Message.User(AssistantData.Question(f.Fact, rng))])).ToList();
        var replies = assistant.ReplyAll(asked.Select(a => a.History).ToList(), Sampling.Greedy, 40);
        return asked.Select((a, i) =>
        {
            var verdict = Grade(replies[i].Text, a.Fact.Fact.Answer);
            var confidence = verdict == Verdict.Refused ? null : Confidence(assistant, a.History, replies[i], a.Fact.Fact);
            return new FactReply(a.Fact, a.History[0].Content, replies[i].Text, verdict, confidence);
        }).ToList();
    }

    /// <summary>
    /// P(stated value): the reply follows the answer template ("The capital of Kenya is " + value + "."), so the value's
    /// tokens are the ones after the template's prefix; their probabilities, multiplied, are how sure the model was.
    /// </summary>
    static double? Confidence(ChatAssistant assistant, IReadOnlyList<Message> history, BatchReply reply, Fact fact)
    {
        var prefix = AssistantData.Answer(fact with { Value = "\u0001" }).Split('\u0001')[0];
        if (!reply.Text.StartsWith(prefix, StringComparison.Ordinal) || reply.Tokens.Count == 0) return null;
        var logProbs = Scoring.LogProbabilities(assistant.Model.Model, assistant.Template.Prompt(history), reply.Tokens);
        var end = reply.Text.IndexOf('.', prefix.Length);
        double sum = 0;
        var at = 0;
        for (var i = 0; i < reply.Tokens.Count; i++)
        {
            var start = at;
            at += assistant.Template.Tokenizer.Decode([reply.Tokens[i]]).Length;
            // A token belongs to the value if it covers any character between the prefix and the final full stop.
            if (at > prefix.Length && (end < 0 || start < end)) sum += logProbs[i];
        }
        return Math.Exp(sum);
    }

    /// <summary>Correct, wrong and refused shares, one row per model: the hallucination rate is wrong / all.</summary>
    public static Table Rates(params (string Model, IReadOnlyList<FactReply> Replies)[] models) => Table.Of(models.Select(m => new
    {
        model = m.Model,
        questions = m.Replies.Count,
        correct = Share(m.Replies, Verdict.Correct),
        wrong = Share(m.Replies, Verdict.Wrong),
        refused = Share(m.Replies, Verdict.Refused),
    }));

    static string Share(IReadOnlyList<FactReply> replies, Verdict verdict) =>
        $"{replies.Count(r => r.Verdict == verdict) / (double)Math.Max(1, replies.Count):P0}";

    /// <summary>Stacked bars per mention bucket: how many answers were correct, wrong, or refused.</summary>
    public static Figure ByBucket(IReadOnlyList<FactReply> replies, string title)
    {
        var buckets = FactWorld.Buckets.Select(b => b.Label).Where(b => replies.Any(r => r.Fact.Bucket == b)).ToList();
        var figure = new Figure(title).BarMode("stack");
        foreach (var verdict in new[] { Verdict.Correct, Verdict.Wrong, Verdict.Refused })
        {
            var shares = buckets.Select(b => replies.Where(r => r.Fact.Bucket == b).ToList())
                .Select(rs => Math.Round(100.0 * rs.Count(r => r.Verdict == verdict) / rs.Count, 1)).ToList();
            figure.Bar(buckets.Select(b => b + "×"), shares, verdict.ToString().ToLowerInvariant());
        }
        return figure.XAxis("mentions of the fact in the pre-training corpus").YAxis("answers (%)").Height(360);
    }

    /// <summary>
    /// Calibration: answers grouped by the probability the model gave its stated value, against how often they were
    /// right. A calibrated model's points sit on the diagonal.
    /// </summary>
    public static Figure Calibration(IReadOnlyList<FactReply> replies, int bins = 5)
    {
        var stated = replies.Where(r => r.Confidence is not null).ToList();
        var groups = Enumerable.Range(0, bins).Select(b => stated.Where(r => Math.Min(bins - 1, (int)(r.Confidence!.Value * bins)) == b).ToList()).ToList();
        var kept = groups.Where(g => g.Count > 0).ToList();
        return new Figure("Confidence against correctness")
            .Line([0.0, 1.0], [0.0, 1.0], "perfectly calibrated", dash: "dot", color: "rgb(150,150,150)")
            .Scatter(kept.Select(g => g.Average(r => r.Confidence!.Value)), kept.Select(g => (double)g.Count(r => r.Verdict == Verdict.Correct) / g.Count),
                "answers, grouped by confidence", hoverText: kept.Select(g => $"{g.Count} answers"))
            .XAxis("probability the model gave its answer").YAxis("share of those answers that were right").Height(360);
    }
}
