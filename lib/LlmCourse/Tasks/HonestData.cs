using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Evaluation;

namespace LlmCourse.Tasks;

/// <summary>
/// Part 5's first mitigation of hallucination, as Llama 3's factuality recipe does it: the SFT data again, but
/// every fact question is answered only where interrogation showed the model knows the fact; where it does not,
/// the labeller's reply is an honest "I don't know". Questions about people who do not exist get the same reply.
/// </summary>
public static class HonestData
{
    /// <summary>The reply for a fact the model does not know.</summary>
    public static string DontKnow(Fact fact) => fact.Relation switch
    {
        "capital" => $"I don't know the capital of {fact.Entity}.",
        "born" => $"I don't know when {fact.Entity} was born.",
        "job" => $"I don't know what {fact.Entity} does.",
        _ => throw new ArgumentException($"Unknown relation '{fact.Relation}'.", nameof(fact)),
    };

    /// <summary>
    /// People who appear nowhere in the corpus or the fact table: invented names with invented facts, so the
    /// data can teach "I don't know" for names the model never read. Seeded; disjoint from the fact world.
    /// </summary>
    public static IReadOnlyList<FactCount> StrangerFacts(int people, ulong seed)
    {
        var taken = FactWorld.ReadTsv(CourseData.PathOf("facts.tsv")).Select(f => f.Fact.Entity).ToHashSet(StringComparer.Ordinal);
        var corpus = string.Join("\n", CorpusParquet.ReadShipped().Select(r => r.Text));
        var rng = Rng.For(seed, 0x57A6);
        var facts = new List<FactCount>();
        while (facts.Count < people * 2)
        {
            var name = $"{rng.Pick(Words.FirstNames)} {rng.Pick(Words.LastNames)}";
            if (taken.Contains(name) || corpus.Contains(name, StringComparison.Ordinal) || !taken.Add(name)) continue;
            var year = rng.Between(1931, 2001).ToString(System.Globalization.CultureInfo.InvariantCulture);
            facts.Add(new FactCount(new Fact(name, "born", year, $"{name} was born in", year), 0, 0, "0"));
            var job = rng.Pick(Words.Jobs);
            facts.Add(new FactCount(new Fact(name, "job", job, $"{name} works as a", job), 0, 0, "0"));
        }
        return facts;
    }

    /// <summary>
    /// The honest SFT set: <see cref="AssistantData.Build"/>'s conversations with every single-fact question
    /// relabelled by <paramref name="probes"/> (known at <paramref name="threshold"/> → the answer, otherwise
    /// <see cref="DontKnow"/>), plus questions about <paramref name="strangers"/> answered with "I don't know".
    /// </summary>
    public static IReadOnlyList<Conversation> Build(FactSplit split, IReadOnlyList<Probe> probes, double threshold,
        IReadOnlyList<FactCount> strangers, AssistantData.Mix? mix = null, ulong seed = 1)
    {
        var known = probes.ToDictionary(p => p.Fact.Fact, p => p.Known(threshold));
        var byAnswer = split.Training.ToDictionary(f => AssistantData.Answer(f.Fact), f => f.Fact);
        var rng = Rng.For(seed, 0xD0C7);
        var data = AssistantData.Build(split, mix, seed).Select(c => c.Kind.StartsWith("fact", StringComparison.Ordinal) ? Relabel(c, byAnswer, known) : c).ToList();
        for (var i = 0; i < strangers.Count * 2; i++)
        {
            var f = rng.Pick(strangers).Fact;
            data.Add(new Conversation("stranger", Message.User(AssistantData.Question(f, rng)), Message.Assistant(DontKnow(f))));
        }
        rng.Shuffle(data);
        return data;
    }

    /// <summary>Each answer sentence is replaced by "I don't know" where its fact is not known (which fact: the one whose answer the labeller wrote).</summary>
    static Conversation Relabel(Conversation c, IReadOnlyDictionary<string, Fact> byAnswer, IReadOnlyDictionary<Fact, bool> known)
    {
        var changed = false;
        var messages = c.Messages.Select(m =>
        {
            if (m.Role != Role.Assistant || !byAnswer.TryGetValue(m.Content, out var fact) || known.GetValueOrDefault(fact)) return m;
            changed = true;
            return Message.Assistant(DontKnow(fact));
        }).ToList();
        return changed ? new Conversation(c.Kind + ": don't know", messages) : c;
    }
}
