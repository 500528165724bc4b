using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>One question put to a model: what it replied, whether it ended its turn by itself, stayed on the question, and was right.</summary>
public sealed record ChatAnswer(FactCount Fact, string Question, string Reply, bool EndedTurn, bool OnTopic, bool Correct);

/// <summary>
/// Measures a chat model (or a base model faking one) on questions about the fact world: does it end its turn
/// properly, does it stay on the question (the reply names what was asked about), and is it right (the reply
/// states the fact's value as a word of its own)?
/// </summary>
public static class ChatEvaluation
{
    /// <summary>The assistant's replies to one question per fact (greedy, all at once).</summary>
    public static IReadOnlyList<ChatAnswer> Ask(ChatAssistant assistant, IEnumerable<FactCount> facts, int maxTokens = 40, ulong seed = 1)
    {
        var rng = Rng.For(seed, 0xA5C);
        var questions = facts.Select(f => (Fact: f, Question: AssistantData.Question(f.Fact, rng))).ToList();
        var replies = assistant.ReplyAll(questions.Select(q => (IReadOnlyList<Message>)[Message.User(q.Question)]).ToList(), Sampling.Greedy, maxTokens);
        return questions.Select((q, i) => Judge(q.Fact, q.Question, replies[i].Text, replies[i].EndedTurn)).ToList();
    }

    /// <summary>
    /// The same questions with the corpus sentence that states each fact pasted in front (working memory instead of
    /// recollection). Facts no sentence states — the never-mentioned ones — are skipped.
    /// </summary>
    public static IReadOnlyList<ChatAnswer> AskWithContext(ChatAssistant assistant, IEnumerable<FactCount> facts, int maxTokens = 40, ulong seed = 1)
    {
        var rng = Rng.For(seed, 0xA5C);
        var questions = facts.Select(f => (Fact: f, Passage: ToolData.Passage(f.Fact))).Where(x => x.Passage is not null)
            .Select(x => (x.Fact, Question: $"{x.Passage}\n\n{AssistantData.Question(x.Fact.Fact, rng)}")).ToList();
        var replies = assistant.ReplyAll(questions.Select(q => (IReadOnlyList<Message>)[Message.User(q.Question)]).ToList(), Sampling.Greedy, maxTokens);
        return questions.Select((q, i) => Judge(q.Fact, q.Question, replies[i].Text, replies[i].EndedTurn)).ToList();
    }

    /// <summary>The base model's best effort: the same questions through a prompt that fakes a conversation.</summary>
    public static IReadOnlyList<ChatAnswer> Ask(FakeConversation fake, IEnumerable<FactCount> facts, int maxTokens = 40, ulong seed = 1)
    {
        var rng = Rng.For(seed, 0xA5C);
        return facts.Select(f =>
        {
            var question = AssistantData.Question(f.Fact, rng);
            var reply = fake.Reply(question, maxTokens);
            return Judge(f, question, reply.Reply, reply.EndedTurn);
        }).ToList();
    }

    static ChatAnswer Judge(FactCount f, string question, string reply, bool ended) =>
        new(f, question, reply, ended, reply.Contains(f.Fact.Entity, StringComparison.OrdinalIgnoreCase), ContainsWord(reply, f.Fact.Answer));

    /// <summary>The answer appears in the reply as a whole word ("Lima." yes, "Limassol" no).</summary>
    public static bool ContainsWord(string reply, string answer)
    {
        for (var at = reply.IndexOf(answer, StringComparison.Ordinal); at >= 0; at = reply.IndexOf(answer, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(reply[at - 1]);
            var end = at + answer.Length;
            var after = end == reply.Length || !char.IsLetterOrDigit(reply[end]);
            if (before && after) return true;
        }
        return false;
    }

    /// <summary>Share of answers that ended their turn, stayed on topic, and were right, as one row per model.</summary>
    public static Table Rates(params (string Model, IReadOnlyList<ChatAnswer> Answers)[] models) => Table.Of(models.Select(m => new
    {
        model = m.Model,
        questions = m.Answers.Count,
        endedItsTurn = $"{m.Answers.Count(a => a.EndedTurn) / (double)m.Answers.Count:P0}",
        stayedOnTheQuestion = $"{m.Answers.Count(a => a.OnTopic) / (double)m.Answers.Count:P0}",
        right = $"{m.Answers.Count(a => a.Correct) / (double)m.Answers.Count:P0}",
    }));

    /// <summary>Recall by mention bucket, one bar series per model: how often each got the facts right.</summary>
    /// <param name="models">Each model's results as (mention bucket, correct) pairs, e.g. <c>answers.Select(a => (a.Fact.Bucket, a.Correct))</c>.</param>
    public static Figure RecallChart(string title, params (string Model, IEnumerable<(string Bucket, bool Correct)> Results)[] models)
    {
        var buckets = FactWorld.Buckets.Select(b => b.Label).ToList();
        var figure = new Figure(title).BarMode("group");
        foreach (var (model, results) in models)
        {
            var list = results.ToList();
            var rates = buckets.Select(b => list.Where(a => a.Bucket == b).ToList())
                .Select(a => a.Count == 0 ? 0 : Math.Round(100.0 * a.Count(x => x.Correct) / a.Count, 1)).ToList();
            figure.Bar(buckets.Select(b => b + "×"), rates, model, labels: rates.Select(r => $"{r:0}%"));
        }
        return figure.XAxis("mentions of the fact in the pre-training corpus").YAxis("answered correctly (%)").Height(360);
    }
}
