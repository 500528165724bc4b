using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>What sampling revealed about one fact: how many of the model's answers were right.</summary>
public sealed record Probe(FactCount Fact, IReadOnlyList<string> Answers, int Correct)
{
    public double ShareCorrect => Answers.Count == 0 ? 0 : (double)Correct / Answers.Count;

    /// <summary>The model knows the fact if at least <paramref name="threshold"/> of its samples were right.</summary>
    public bool Known(double threshold) => ShareCorrect >= threshold;
}

/// <summary>
/// Finding out what a model knows by interrogating it (Llama 3's factuality recipe): ask about a fact several
/// times with sampling, grade every answer against the fact table, and call the fact known when enough of them
/// are right. The facts it does not know get an honest "I don't know" in the next round of fine-tuning.
/// </summary>
public static class Interrogation
{
    /// <param name="samples">Answers sampled per fact.</param>
    /// <param name="temperature">Sampling temperature: 1 samples the model's own uncertainty.</param>
    public static IReadOnlyList<Probe> Run(ChatAssistant assistant, IReadOnlyList<FactCount> facts, int samples = 5, double temperature = 1.0, ulong seed = 1)
    {
        var rng = Rng.For(seed, 0x1A7E);
        // One question per fact, sampled `samples` times (the batched generator draws them all at once).
        var questions = facts.Select(f => (IReadOnlyList<Message>)[Message.User(AssistantData.Question(f.Fact, rng))]).ToList();
        var replies = assistant.ReplyAll(questions, new Sampling(temperature), 30, samples, (long)seed);
        return facts.Select((f, i) =>
        {
            var answers = replies.Where(r => r.Conversation == i).Select(r => r.Text).ToList();
            return new Probe(f, answers, answers.Count(a => Hallucination.Grade(a, f.Fact.Answer) == Verdict.Correct));
        }).ToList();
    }

    /// <summary>Each probed fact with its answers and the share that were right.</summary>
    public static Table Report(IEnumerable<Probe> probes) => Table.Of(probes.Select(p => new
    {
        fact = AssistantData.Answer(p.Fact.Fact),
        mentions = p.Fact.CorpusMentions,
        answers = string.Join("\n", p.Answers),
        right = $"{p.Correct} of {p.Answers.Count}",
    }));
}
