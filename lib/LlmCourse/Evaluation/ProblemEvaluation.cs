using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>One word problem put to a model: its reply and the checker's verdict.</summary>
public sealed record ProblemAnswer(WordProblem Problem, string Reply, bool Correct);

/// <summary>Accuracy on word problems, graded exactly by <see cref="WordProblems.Reward"/>: worked solutions, or the answer only.</summary>
public static class ProblemEvaluation
{
    /// <summary>The assistant's greedy replies (see <see cref="ChatAssistant.ReplyAll"/>); with <paramref name="direct"/>, the question asks for just the answer.</summary>
    public static IReadOnlyList<ProblemAnswer> Solve(ChatAssistant assistant, IReadOnlyList<WordProblem> problems, bool direct = false, int maxTokens = 110)
    {
        var replies = assistant.ReplyAll(problems.Select(p => (IReadOnlyList<Message>)[Message.User(direct ? $"{p.Question} {WordProblems.DirectInstruction}" : p.Question)]).ToList(),
            Sampling.Greedy, maxTokens);
        return problems.Select((p, i) => new ProblemAnswer(p, replies[i].Text, WordProblems.Reward(replies[i].Text, p) == 1)).ToList();
    }

    /// <summary>Accuracy against the number of arithmetic steps, one bar series per way of answering.</summary>
    public static Figure StepsChart(params (string Label, IReadOnlyList<ProblemAnswer> Answers)[] runs)
    {
        var difficulties = runs.SelectMany(r => r.Answers).Select(a => a.Problem.Difficulty).Distinct().Order().ToList();
        var figure = new Figure("Held-out word problems solved, by arithmetic steps").BarMode("group");
        foreach (var (label, answers) in runs)
        {
            var rates = difficulties.Select(d => answers.Where(a => a.Problem.Difficulty == d).ToList())
                .Select(a => a.Count == 0 ? 0 : Math.Round(100.0 * a.Count(x => x.Correct) / a.Count, 1)).ToList();
            figure.Bar(difficulties.Select(d => $"{d} step{(d == 1 ? "" : "s")}"), rates, label, labels: rates.Select(r => $"{r:0}%"));
        }
        return figure.XAxis("arithmetic steps the problem takes").YAxis("solved (%)").Height(340);
    }

    /// <summary>Accuracy by difficulty (arithmetic steps), one column per way of answering.</summary>
    public static Table ByDifficulty(params (string Label, IReadOnlyList<ProblemAnswer> Answers)[] runs)
    {
        var difficulties = runs.SelectMany(r => r.Answers).Select(a => a.Problem.Difficulty).Distinct().Order().ToList();
        string Rate(IReadOnlyList<ProblemAnswer> answers) => answers.Count == 0 ? "" : $"{answers.Count(a => a.Correct)}/{answers.Count} ({answers.Count(a => a.Correct) / (double)answers.Count:P0})";
        var rows = difficulties.Select(d => (IReadOnlyList<string>)[$"{d} step{(d == 1 ? "" : "s")}", .. runs.Select(r => Rate(r.Answers.Where(a => a.Problem.Difficulty == d).ToList()))])
            .Append(["all", .. runs.Select(r => Rate(r.Answers))]);
        return new Table(["difficulty", .. runs.Select(r => r.Label)], rows);
    }
}
