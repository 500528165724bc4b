using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Modeling;
using LlmCourse.Tasks;
using LlmCourse.Tools;

namespace LlmCourse.Training;

/// <summary>
/// Part 5's assistant that says "I don't know": the shipped assistant interrogated on every training fact, then
/// fine-tuned further on the SFT data relabelled by what it knew (<see cref="HonestData"/>).
/// `llmcourse train honest` builds it; `--sweep` measures the effect of the knowledge threshold.
/// </summary>
public static class HonestAssistant
{
    public const string RelativePath = "models/honest.ckpt";
    public const string ProbesRelativePath = "models/honest-probes.tsv";
    public const string SweepRelativePath = "models/honest-sweep.tsv";

    /// <summary>A fact counts as known when at least this share of 5 sampled answers was right.</summary>
    public const double Threshold = 0.6;
    public const int Samples = 5;

    public static TrainingConfig Training { get; } = new(Steps: 250, BatchSize: 16, LearningRate: 3e-4, MinLearningRate: 3e-5,
        WarmupSteps: 20, EvalInterval: 50, EvalBatches: 4, Seed: 5);

    /// <summary>People the data teaches "I don't know" about; disjoint from the fact world and from the evaluation's never-seen people.</summary>
    public static IReadOnlyList<FactCount> Strangers() => HonestData.StrangerFacts(60, seed: 11);

    /// <summary>Interrogates the shipped assistant about every training fact (5 samples each, temperature 1).</summary>
    public static IReadOnlyList<Probe> Interrogate(ChatAssistant assistant) => Interrogation.Run(assistant, FactSplit.Shipped.Training, Samples);

    public static IReadOnlyList<Conversation> Dataset(IReadOnlyList<Probe> probes, double threshold) =>
        HonestData.Build(FactSplit.Shipped, probes, threshold, Strangers());

    /// <summary>Fine-tunes the shipped assistant on the honest data for <paramref name="threshold"/>.</summary>
    public static Gpt Run(IReadOnlyList<Probe> probes, double threshold, string output, TrainingConfig? training = null, Action<TrainingMetrics>? progress = null) =>
        SupervisedFineTuning.Continue(CourseData.PathOf(SupervisedFineTuning.RelativePath), Dataset(probes, threshold),
            SupervisedFineTuning.HeldOutConversations(), training ?? Training, output,
            new RunDescription("honest", "./llmcourse train honest", SupervisedFineTuning.RelativePath), progress);

    /// <summary>The probes as TSV (fact, mentions, samples, correct), so the notebook can show the interrogation without redoing it.</summary>
    public static void WriteProbes(IEnumerable<Probe> probes, string path) =>
        File.WriteAllLines(path, ["entity\trelation\tvalue\tmentions\tsamples\tcorrect", ..probes.Select(p =>
            $"{p.Fact.Fact.Entity}\t{p.Fact.Fact.Relation}\t{p.Fact.Fact.Value}\t{p.Fact.CorpusMentions}\t{p.Answers.Count}\t{p.Correct}")]);
}

/// <summary>
/// Part 5's tool-using assistant: the shipped assistant fine-tuned further on <see cref="ToolData"/> — search for
/// facts, the calculator for arithmetic, and answers read off pasted text. `llmcourse train tools` builds it.
/// </summary>
public static class ToolAssistant
{
    public const string RelativePath = "models/tools.ckpt";

    public static TrainingConfig Training { get; } = new(Steps: 300, BatchSize: 16, LearningRate: 3e-4, MinLearningRate: 3e-5,
        WarmupSteps: 20, EvalInterval: 50, EvalBatches: 4, Seed: 6);

    public static IReadOnlyList<Conversation> Dataset(ToolBox tools) => ToolData.Build(FactSplit.Shipped, tools, HonestAssistant.Strangers());

    public static Gpt Run(string output, TrainingConfig? training = null, Action<TrainingMetrics>? progress = null) =>
        SupervisedFineTuning.Continue(CourseData.PathOf(SupervisedFineTuning.RelativePath), Dataset(ToolBox.Course()),
            SupervisedFineTuning.HeldOutConversations(), training ?? Training, output,
            new RunDescription("tools", "./llmcourse train tools", SupervisedFineTuning.RelativePath), progress);

    /// <summary>The shipped tool-using assistant, with the course's tools attached.</summary>
    public static ChatAssistant LoadShipped(ToolBox? tools = null) => SupervisedFineTuning.Load(CourseData.PathOf(RelativePath)).WithTools(ToolRunner(tools ?? ToolBox.Course()));

    /// <summary>The harness's side of a tool call: run it, return the text that goes back into the context.</summary>
    public static Func<string, string> ToolRunner(ToolBox tools) => call => tools.Run(call).Text;
}
