using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>How often a prompt format got the fact right, with the prompt of the first fact as an example.</summary>
public sealed record FewShotResult(string Format, int Examples, int Facts, int Correct, string ExamplePrompt, string ExampleContinuation)
{
    public double Accuracy => Facts == 0 ? 0 : (double)Correct / Facts;
}

/// <summary>
/// In-context learning, measured: the same facts asked in the corpus's own phrasing ("The capital of Japan
/// is") and in a format the corpus never uses ("Japan ->"), the latter with 0, 3 or more worked examples in
/// front. A model that learns in context picks the new format up from the examples; one that only continues
/// the kinds of documents it saw does not.
/// </summary>
public static class InContextLearning
{
    /// <summary>The new format: one "Country -> Capital" pair per line.</summary>
    public static string ArrowPrompt(IEnumerable<Fact> examples, Fact query) =>
        string.Concat(examples.Select(e => $"{e.Entity} -> {e.Answer}\n")) + $"{query.Entity} ->";

    /// <summary>
    /// Accuracy on <paramref name="facts"/> (capital facts) in the corpus phrasing and in the arrow format with each
    /// number of examples; each fact's examples are the other facts, so no prompt contains its own answer.
    /// </summary>
    public static IReadOnlyList<FewShotResult> Measure(LanguageModel model, IReadOnlyList<Fact> facts, IEnumerable<int> examples)
    {
        var results = new List<FewShotResult> { Run(model, facts, "corpus phrasing", 0, f => f.Prompt) };
        foreach (var k in examples)
            results.Add(Run(model, facts, "new format", k, f => ArrowPrompt(facts.Where(o => o != f).Take(k), f)));
        return results;
    }

    static FewShotResult Run(LanguageModel model, IReadOnlyList<Fact> facts, string format, int examples, Func<Fact, string> prompt)
    {
        var continuations = facts.Select(f => model.Generate(prompt(f), 4, Sampling.Greedy)).ToList();
        var correct = facts.Zip(continuations).Count(x => FactRecall.IsCorrect(x.Second, x.First.Answer));
        return new FewShotResult(format, examples, facts.Count, correct, prompt(facts[0]), continuations[0]);
    }

    public static Table Report(IEnumerable<FewShotResult> results) => Table.Of(results.Select(r => new
    {
        prompt = r.Format,
        examples = r.Examples,
        correct = $"{r.Correct} of {r.Facts}",
        firstPrompt = r.ExamplePrompt,
        modelWrote = r.ExampleContinuation,
    }));
}
