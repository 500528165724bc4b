using System.Globalization;
using System.Text.RegularExpressions;
using LlmCourse.Data;

namespace LlmCourse.Tasks;

/// <summary>An arithmetic word problem with a worked solution and an exactly checkable answer.</summary>
/// <param name="Family">Which template: "fruit cost" (the seed's Emily problem), "add", "subtract", "multiply", "share", "change".</param>
/// <param name="Difficulty">Arithmetic steps the solution takes: 1, 2 or 3.</param>
/// <param name="Question">"Emily buys 3 apples and 2 oranges. Each orange costs $2. ..."</param>
/// <param name="Solution">The worked steps, without the final answer line.</param>
/// <param name="Answer">The number the final line must give.</param>
public sealed record WordProblem(string Family, int Difficulty, string Question, string Solution, int Answer)
{
    /// <summary>The reply a labeller writes: the steps, then the answer in the fixed form the checker reads.</summary>
    public string WorkedReply => $"{Solution} {WordProblems.AnswerLine(Answer)}";

    /// <summary>The reply to "give just the answer": no steps, the answer line only.</summary>
    public string DirectReply => WordProblems.AnswerLine(Answer);
}

/// <summary>
/// Word problems in the seeds' style, in six templates and three difficulty levels (one, two or three
/// arithmetic steps), generated from a seed; and the checker that grades a reply exactly. The crawl's math
/// worksheets come from the same templates (Data/MathProblems), so the base model has seen their style;
/// the SFT data teaches the assistant to answer them (part 4), and RL trains on them (part 6).
/// </summary>
/// <remarks>
/// Training and held-out problems never share a template instance (the same question text); they do share
/// arithmetic facts like 2 × 3 = 6, as any two sets of school problems do.
/// </remarks>
public static partial class WordProblems
{
    /// <summary>The families in MathProblems' order, with their number of arithmetic steps.</summary>
    public static IReadOnlyList<(string Family, int Difficulty)> Families { get; } =
        [("fruit cost", 3), ("add", 1), ("subtract", 1), ("multiply", 1), ("share", 1), ("change", 2)];

    /// <summary>What a user adds to ask for the answer without the working (part 5: models need tokens to think).</summary>
    public const string DirectInstruction = "Give just the answer.";

    const ulong HeldOutSeed = 0x4E1D07;
    const ulong TrainingSeed = 0x7EA125;

    /// <summary>The fixed form of the final answer: "The answer is 42."</summary>
    public static string AnswerLine(int answer) => $"The answer is {answer.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>One problem of a family (index into <see cref="Families"/>).</summary>
    public static WordProblem Generate(int family, Rng rng)
    {
        var p = MathProblems.Family(family, rng);
        var (name, difficulty) = Families[family];
        return new WordProblem(name, difficulty, p.Question, p.Steps, p.Answer);
    }

    /// <summary>
    /// The held-out problems: the same for everyone, never in SFT or RL training data. The families take turns,
    /// so every family and difficulty is equally represented.
    /// </summary>
    public static IReadOnlyList<WordProblem> HeldOut(int count = 300)
    {
        var rng = Rng.For(HeldOutSeed, 1);
        return Enumerable.Range(0, count).Select(i => Generate(i % Families.Count, rng)).ToList();
    }

    /// <summary>
    /// <paramref name="count"/> training problems, families taking turns, skipping any question that is also in
    /// <see cref="HeldOut"/> (checked against the first 1,000 held-out problems).
    /// </summary>
    public static IReadOnlyList<WordProblem> Training(int count, ulong stream = 1)
    {
        var heldOut = HeldOut(1000).Select(p => p.Question).ToHashSet(StringComparer.Ordinal);
        var rng = Rng.For(TrainingSeed, stream);
        var problems = new List<WordProblem>(count);
        for (var i = 0; problems.Count < count; i++)
        {
            var p = Generate(i % Families.Count, rng);
            if (!heldOut.Contains(p.Question)) problems.Add(p);
        }
        return problems;
    }

    /// <summary>The number in the reply's answer line ("The answer is 42."), or null if there is none.</summary>
    public static int? FinalAnswer(string reply)
    {
        var matches = AnswerPattern().Matches(reply);
        if (matches.Count == 0) return null;
        // The last answer line counts: a reply that corrects itself is graded on its conclusion.
        return int.TryParse(matches[^1].Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>The verifiable reward: 1 when the reply's final answer is exactly right, 0 otherwise (missing or malformed included).</summary>
    public static double Reward(string reply, WordProblem problem) => FinalAnswer(reply) == problem.Answer ? 1 : 0;

    [GeneratedRegex(@"The answer is (-?\d{1,9})\.")]
    private static partial Regex AnswerPattern();
}
