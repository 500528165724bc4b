using System.Globalization;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>One figure of <see cref="ContextEvaluation"/>: how many of the cases the model got right.</summary>
public sealed record ContextScore(string Model, string Test, int Correct, int Cases, string Example, string ModelWrote)
{
    public double Rate => Cases == 0 ? 0 : (double)Correct / Cases;
}

/// <summary>
/// Does the model read its context window? Parameters are a vague recollection; the context is working memory —
/// but only for a model that has learned to look there. Each test puts what is needed into the prompt and checks
/// that the model uses it:
/// <list type="bullet">
/// <item>copy: a fact about someone made up on the spot, stated once, then asked for again later in the text;</item>
/// <item>few-shot: a format the corpus never uses ("Japan -> Tokyo"), learned from examples in the prompt, on the
/// capitals the model knows (it completes "The capital of Japan is" right);</item>
/// <item>for an assistant: the fact pasted into the user's message, the search tool, and the question's entity
/// carried into the answer ("What is the capital of Italy?" → "The capital of Italy is …").</item>
/// </list>
/// The induction test (a random sequence, then the same again) is <see cref="Induction"/>.
/// </summary>
public static class ContextEvaluation
{
    /// <summary>
    /// People who exist only in the prompt, with a birth year and a job: no memory can supply them. Names are
    /// a first name and a surname from the word lists, never one of the fact world's people.
    /// </summary>
    public static IReadOnlyList<Person> Strangers(int count = 40, ulong seed = 7)
    {
        var rng = Rng.For(seed, 0xC0B1);
        var taken = new FactWorld(1).People.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var people = new List<Person>();
        while (people.Count < count)
        {
            var name = $"{rng.Pick(Words.FirstNames)} {rng.Pick(Words.LastNames)}";
            if (taken.Add(name)) people.Add(new Person(name, rng.Between(1921, 2011), rng.Pick(Words.Jobs)));
        }
        return people;
    }

    // Sentences between the statement and the question, so the answer is not simply the last thing said.
    static readonly string[] Asides =
    [
        "The weather that week was cold and grey.", "Nobody in the family had expected that.",
        "The town has a small harbour and a market on Saturdays.", "Friends still talk about it.",
        "There is a photograph of the house on the wall of the library.", "Most evenings ended with a long walk.",
    ];

    /// <summary>The copy prompt for one stranger and relation ("born" or "job"): the fact once, asides, then the sentence again up to the answer.</summary>
    public static string CopyPrompt(Person p, string relation, Rng rng)
    {
        var statement = rng.Next(3) switch
        {
            0 => $"{p.Name} was born in {Year(p)} and works as a {p.Job}.",
            1 => $"Born in {Year(p)}, {p.Name} works as a {p.Job}.",
            _ => $"{p.Name}, a {p.Job}, was born in {Year(p)}.",
        };
        var asides = string.Join(" ", rng.Sample(Asides, 2));
        var ask = relation == "born" ? $"{p.Name} was born in" : $"{p.Name} works as a";
        return $"{statement} {asides} {ask}";
    }

    static string Year(Person p) => p.BirthYear.ToString(CultureInfo.InvariantCulture);

    /// <summary>Copy: every stranger's birth year and job, each asked once after being stated once.</summary>
    public static ContextScore Copy(LanguageModel model, string name, IReadOnlyList<Person>? people = null, ulong seed = 7)
    {
        people ??= Strangers();
        var rng = Rng.For(seed, 0xC0B2);
        var cases = people.SelectMany(p => new[] { (Prompt: CopyPrompt(p, "born", rng), Answer: Year(p)), (Prompt: CopyPrompt(p, "job", rng), Answer: p.Job) }).ToList();
        var written = cases.Select(c => model.Generate(c.Prompt, 6, Sampling.Greedy)).ToList();
        var correct = cases.Zip(written).Count(x => FactRecall.IsCorrect(x.Second, x.First.Answer));
        return new ContextScore(name, "copy: a made-up person's year or job, stated once", correct, cases.Count, cases[0].Prompt, written[0]);
    }

    /// <summary>
    /// Few-shot, on the capitals the model knows: of the countries whose capital it completes right in the corpus's
    /// phrasing, how many it gets right in the arrow format with <paramref name="examples"/> examples in front.
    /// </summary>
    public static ContextScore FewShot(LanguageModel model, string name, IReadOnlyList<Fact> capitals, int examples)
    {
        var known = capitals.Where(f => FactRecall.IsCorrect(model.Generate(f.Prompt, 4, Sampling.Greedy), f.Answer)).ToList();
        var prompts = known.Select(f => InContextLearning.ArrowPrompt(capitals.Where(o => o != f).Take(examples), f)).ToList();
        var written = prompts.Select(p => model.Generate(p, 4, Sampling.Greedy)).ToList();
        var correct = known.Zip(written).Count(x => FactRecall.IsCorrect(x.Second, x.First.Answer));
        return new ContextScore(name, $"few-shot: \"Country -> Capital\" with {examples} examples, on the {known.Count} capitals it knows",
            correct, known.Count, prompts.FirstOrDefault() ?? "", written.FirstOrDefault() ?? "");
    }

    /// <summary>The assistant with a stranger's fact pasted into the user's message, then asked about it.</summary>
    public static ContextScore Pasted(ChatAssistant assistant, string name, IReadOnlyList<Person>? people = null, ulong seed = 7)
    {
        people ??= Strangers();
        var rng = Rng.For(seed, 0xC0B3);
        var cases = people.Select((p, i) =>
        {
            var fact = i % 2 == 0 ? new Fact(p.Name, "born", Year(p), "", Year(p)) : new Fact(p.Name, "job", p.Job, "", p.Job);
            var note = rng.Next(2) == 0 ? $"{p.Name} was born in {Year(p)} and works as a {p.Job}." : $"{p.Name}, a {p.Job}, was born in {Year(p)}.";
            return (Question: $"{note}\n\n{AssistantData.Question(fact, rng)}", fact.Answer);
        }).ToList();
        var replies = assistant.ReplyAll(cases.Select(c => (IReadOnlyList<Message>)[Message.User(c.Question)]).ToList(), Sampling.Greedy, 40);
        var correct = cases.Zip(replies).Count(x => ChatEvaluation.ContainsWord(x.Second.Text, x.First.Answer));
        return new ContextScore(name, "a made-up person's fact pasted into the message", correct, cases.Count, cases[0].Question, replies[0].Text);
    }

    /// <summary>Questions about <paramref name="facts"/> answered by the assistant (with its tools, if it has them): right when the value is in the reply.</summary>
    public static ContextScore Answers(ChatAssistant assistant, string name, string test, IReadOnlyList<FactCount> facts, bool pastePage = false)
    {
        var answers = pastePage ? ChatEvaluation.AskWithContext(assistant, facts) : ChatEvaluation.Ask(assistant, facts);
        return new ContextScore(name, test, answers.Count(a => a.Correct), answers.Count,
            answers.FirstOrDefault()?.Question ?? "", answers.FirstOrDefault()?.Reply ?? "");
    }

    /// <summary>
    /// Entity carried: "What is the capital of X?" for the well-known capitals. The answer must name X (copied from
    /// the question) and its capital (from memory); a model that does not read the question answers about some other country.
    /// </summary>
    public static ContextScore EntityCarried(ChatAssistant assistant, string name, IReadOnlyList<FactCount> capitals)
    {
        var questions = capitals.Select(f => $"What is the capital of {f.Fact.Entity}?").ToList();
        var replies = assistant.ReplyAll(questions.Select(q => (IReadOnlyList<Message>)[Message.User(q)]).ToList(), Sampling.Greedy, 30);
        var correct = capitals.Zip(replies).Count(x => ChatEvaluation.ContainsWord(x.Second.Text, x.First.Fact.Entity) && ChatEvaluation.ContainsWord(x.Second.Text, x.First.Fact.Answer));
        return new ContextScore(name, $"\"What is the capital of X?\", the {capitals.Count} well-known capitals: X and its capital named",
            correct, capitals.Count, questions.FirstOrDefault() ?? "", replies.FirstOrDefault()?.Text ?? "");
    }

    /// <summary>The well-known capitals: mentioned 16 times or more in the corpus.</summary>
    public static IReadOnlyList<FactCount> WellKnownCapitals(IEnumerable<FactCount> facts) =>
        facts.Where(f => f.Fact.Relation == "capital" && f.CorpusMentions >= 16).ToList();

    public static Table Report(IEnumerable<ContextScore> scores) => Table.Of(scores.Select(s => new
    {
        model = s.Model,
        test = s.Test,
        right = $"{s.Correct} of {s.Cases} ({s.Rate:P0})",
        example = s.Example,
        modelWrote = s.ModelWrote,
    }));
}
