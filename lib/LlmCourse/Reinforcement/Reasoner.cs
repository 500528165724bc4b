using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Modeling;
using LlmCourse.Tasks;
using LlmCourse.Training;

namespace LlmCourse.Reinforcement;

/// <summary>How the shipped reasoner did at one point of its run: held-out accuracy, pass@k, reply length.</summary>
public sealed record ReasonerCheck(int Step, double PassAt1, double PassAtK, int K, double MeanReplyTokens, double TrainingReward);

/// <summary>
/// The recipe of part 6's reasoning model: the shipped assistant practising word problems with verifiable rewards
/// (<see cref="ReinforcementLearning"/> on <see cref="WordProblemTask"/>). `llmcourse train rl` runs it, logging
/// held-out pass@1 and pass@k as it goes; notebooks load the result with <see cref="LoadShipped"/>.
/// </summary>
public static class Reasoner
{
    public const string RelativePath = "models/reasoner.ckpt";
    public const string CurvesRelativePath = "models/reasoner-curves.tsv";

    public static RlConfig Config { get; } = new(Steps: 200, PromptsPerStep: 8, SamplesPerPrompt: 8, MaxNewTokens: 100, Temperature: 1.0,
        LearningRate: 2e-5, KlWeight: 0, Seed: 6);

    /// <summary>Practice problems: fresh instances of the same templates, none shared with the held-out set.</summary>
    public static IReadOnlyList<WordProblem> PracticeProblems() => WordProblems.Training(4000, stream: 6);

    /// <summary>The held-out problems the run is measured on as it goes (a subset, to keep checks quick).</summary>
    public static IReadOnlyList<WordProblem> CheckProblems() => WordProblems.HeldOut(120);

    public static ReasonerCheck Check(ChatAssistant policy, int step, double trainingReward, int k = 8)
    {
        var results = PassAtK.Run(policy, CheckProblems(), samples: k, seed: 100 + step);
        return new ReasonerCheck(step, results.Count(r => r.GreedyCorrect) / (double)results.Count, PassAtK.Mean(results, k), k,
            results.Average(r => (double)policy.Template.Tokenizer.Encode(r.GreedyReply).Count), trainingReward);
    }

    public static ChatAssistant LoadShipped() => SupervisedFineTuning.Load(CourseData.PathOf(RelativePath));

    public static void WriteCurves(IEnumerable<ReasonerCheck> checks, string path) =>
        File.WriteAllLines(path, ["step\tpass_at_1\tpass_at_k\tk\tmean_reply_tokens\ttraining_reward", .. checks.Select(c =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Step}\t{c.PassAt1:F4}\t{c.PassAtK:F4}\t{c.K}\t{c.MeanReplyTokens:F1}\t{c.TrainingReward:F4}"))]);

    public static IReadOnlyList<ReasonerCheck> ReadCurves(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select((l, n) =>
        {
            var f = l.Split('\t');
            if (f.Length != 6) throw new FormatException($"{path}, line {n + 2}: expected 6 tab-separated columns, found {f.Length}.");
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            return new ReasonerCheck(int.Parse(f[0], inv), double.Parse(f[1], inv), double.Parse(f[2], inv), int.Parse(f[3], inv), double.Parse(f[4], inv), double.Parse(f[5], inv));
        }).ToList();
}
