using System.Globalization;
using System.Text.RegularExpressions;
using LlmCourse.Tools;
using LlmCourse.Visuals;

namespace LlmCourse.Practice;

/// <summary>One arithmetic step a model wrote ("$13 - $4 = $9"), what the calculator says it should be, and whether they agree.</summary>
public sealed record CheckedStep(string Step, string Claimed, string Actual, bool Right);

/// <summary>
/// Never fully trust an answer: check it. A worked solution writes its arithmetic out, so each step "a op b = c" can be
/// recomputed exactly with the calculator tool; a wrong step flags the answer before anyone relies on it.
/// </summary>
public static partial class StepCheck
{
    public static IReadOnlyList<CheckedStep> Of(string reply, Calculator? calculator = null)
    {
        calculator ??= new Calculator();
        return Step().Matches(reply).Select(m =>
        {
            var expression = m.Groups["expression"].Value;
            var claimed = m.Groups["result"].Value.TrimStart('$');
            var actual = calculator.TryEvaluate(expression, out var value, out var error) ? calculator.Format(value) : error;
            return new CheckedStep(m.Value, claimed, actual, actual == claimed);
        }).ToList();
    }

    /// <summary>Each reply with its checked steps: how many steps were right, and the first wrong one.</summary>
    public static Table Report(IEnumerable<(string Question, string Reply)> replies) => Table.Of(replies.Select(r =>
    {
        var steps = Of(r.Reply);
        var wrong = steps.FirstOrDefault(s => !s.Right);
        return new
        {
            question = r.Question,
            reply = r.Reply,
            stepsRight = $"{steps.Count(s => s.Right)} of {steps.Count}",
            verdict = wrong is null ? (steps.Count == 0 ? "nothing to check" : "every step checks out") : $"wrong: {wrong.Step} (it is {wrong.Actual})",
        };
    }));

    [GeneratedRegex(@"(?<expression>\$?\d+ [×÷+\-] \$?\d+) = (?<result>\$?\d+)")]
    private static partial Regex Step();
}
