using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>How often each held-out problem was solved among n sampled attempts, and the greedy reply's verdict.</summary>
public sealed record ProblemAttempts(WordProblem Problem, int Samples, int Correct, bool GreedyCorrect, string GreedyReply);

/// <summary>
/// pass@k: the chance that at least one of k attempts solves a problem, estimated without bias from n ≥ k attempts of
/// which c were right (Chen et al., 2021): 1 − C(n−c, k) / C(n, k). pass@1 of greedy decoding is plain accuracy.
/// </summary>
public static class PassAtK
{
    public static double Estimate(int n, int c, int k)
    {
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and n ({n}).");
        if (n - c < k) return 1;
        // C(n−c, k) / C(n, k) = Π_{i=n−c+1}^{n} (1 − k/i), computed as a product to stay exact and stable.
        var fail = 1.0;
        for (var i = n - c + 1; i <= n; i++) fail *= 1 - (double)k / i;
        return 1 - fail;
    }

    /// <summary>Greedy replies and <paramref name="samples"/> sampled attempts per problem, all generated in batches.</summary>
    public static IReadOnlyList<ProblemAttempts> Run(ChatAssistant assistant, IReadOnlyList<WordProblem> problems, int samples = 16,
        double temperature = 1.0, int maxNewTokens = 110, long seed = 1)
    {
        var generator = new BatchGenerator(assistant.Model.Model);
        var template = assistant.Template;
        var prompts = problems.Select(p => template.Prompt([Message.User(p.Question)])).ToList();
        var greedy = generator.Generate(prompts, 1, maxNewTokens, Sampling.Greedy, [template.EndId], seed);
        var sampled = samples == 0 ? null : generator.Generate(prompts, samples, maxNewTokens, new Sampling(temperature), [template.EndId], seed);
        return problems.Select((p, i) =>
        {
            var reply = template.Tokenizer.Decode(greedy[i].Tokens);
            var correct = sampled?.Of(i).Count(c => WordProblems.Reward(template.Tokenizer.Decode(c.Tokens), p) == 1) ?? 0;
            return new ProblemAttempts(p, samples, correct, WordProblems.Reward(reply, p) == 1, reply);
        }).ToList();
    }

    /// <summary>Mean pass@k over the problems.</summary>
    public static double Mean(IReadOnlyList<ProblemAttempts> results, int k) => results.Average(r => Estimate(r.Samples, r.Correct, k));

    /// <summary>Greedy accuracy and pass@k by difficulty, one row per difficulty, plus all.</summary>
    public static Table ByDifficulty(IReadOnlyList<ProblemAttempts> results, params int[] ks)
    {
        IEnumerable<(string Label, List<ProblemAttempts> Rows)> groups = results.GroupBy(r => r.Problem.Difficulty).OrderBy(g => g.Key)
            .Select(g => ($"{g.Key} step{(g.Key == 1 ? "" : "s")}", g.ToList()));
        groups = groups.Append(("all", results.ToList()));
        return new Table(["difficulty", "problems", "greedy (pass@1)", .. ks.Select(k => $"pass@{k}")],
            groups.Select(g => (IReadOnlyList<string>)[g.Label, g.Rows.Count.ToString(), $"{g.Rows.Count(r => r.GreedyCorrect) / (double)g.Rows.Count:P0}",
                .. ks.Select(k => $"{Mean(g.Rows, k):P0}")]));
    }
}
