using System.CommandLine;
using System.Globalization;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Reinforcement;
using LlmCourse.Tasks;
using LlmCourse.Training;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

/// <summary>Part 7: `train rm` (rankings → pairs → reward model), `train rlhf` (optimising against it, with and without a KL term), `train dpo`.</summary>
public static class RlhfCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Train.Subcommands.Add(TrainRewardModel());
        groups.Train.Subcommands.Add(TrainRlhf());
        groups.Train.Subcommands.Add(TrainDpo());
    }

    static ChatAssistant? Assistant()
    {
        var path = CourseData.PathOf(SupervisedFineTuning.RelativePath);
        if (File.Exists(path)) return SupervisedFineTuning.Load(path);
        Console.Error.WriteLine($"llmcourse: the assistant {path} is missing; build it first with `./llmcourse train sft`.");
        return null;
    }

    static IReadOnlyList<PreferencePair> ReadPairs(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No preference pairs at {path}: `./llmcourse train rm` collects them.", path);
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select((line, n) =>
        {
            var f = line.Split('\t');
            if (f.Length != 3 || !int.TryParse(f[0], CultureInfo.InvariantCulture, out var prompt))
                throw new FormatException($"{path}, line {n + 2}: expected prompt index, chosen and rejected, tab-separated.");
            static string Unescape(string s) => s.Replace("\\n", "\n").Replace("\\t", "\t").Replace("\\\\", "\\");
            return new PreferencePair(prompt, Unescape(f[1]), Unescape(f[2]));
        }).ToList();
    }

    /// <summary>`llmcourse train rm`: the labellers rank the assistant's samples; a reward model learns the rankings.</summary>
    static Command TrainRewardModel()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps of 16 pairs", DefaultValueFactory = _ => 400 };
        var cmd = new Command("rm", "Collect labeller rankings of the assistant's toasts and travel tips, export the pairs (data/rlhf/pairs.tsv), train the reward model (data/models/reward.ckpt)");
        cmd.Options.Add(steps);
        cmd.SetAction(parse =>
        {
            if (Assistant() is not { } assistant) return 2;
            torch.set_num_threads(Environment.ProcessorCount);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var template = assistant.Template;
            var prompts = Rlhf.TrainingPrompts();
            var heldOutPrompts = Rlhf.HeldOutPrompts();
            var pairs = Rlhf.CollectRankings(assistant, prompts).SelectMany(Preferences.Pairs).ToList();
            var heldOutPairs = Rlhf.CollectRankings(assistant, heldOutPrompts, seed: 8).SelectMany(Preferences.Pairs).ToList();
            Preferences.WriteTsv(pairs, CourseData.PathOf(Rlhf.PairsRelativePath));
            Console.WriteLine($"{prompts.Count} prompts × {Rlhf.RankedPerPrompt} replies ranked: {pairs.Count} pairs (held out: {heldOutPairs.Count}) in {clock.Elapsed.TotalSeconds:F0} s; wrote data/{Rlhf.PairsRelativePath}");
            using var model = new RewardModel(Checkpoint.Load(CourseData.PathOf(SupervisedFineTuning.RelativePath), template.Tokenizer));
            var n = parse.GetValue(steps);
            ModelCommands.WithProgress("reward model", n, report => { Rlhf.TrainRewardModel(model, template, prompts, pairs, heldOutPrompts, heldOutPairs, n,
                progress: m =>
                {
                    report(new TrainingMetrics(m.Step, m.Loss, 0, 0, 0, 0, 0));
                    if (m.AgreesWithLabellers is { } l) Console.WriteLine($"  step {m.Step}: loss {m.Loss:F3}; held-out pairs ordered as the labellers did {l:P1}, as the true preference does {m.AgreesWithTruth:P1}");
                }); return 0; });
            var path = CourseData.PathOf(Rlhf.RewardModelRelativePath);
            model.Save(path, TokenizerIdentity.Of(template.Tokenizer));
            Console.WriteLine($"wrote {path} in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        });
        return cmd;
    }

    /// <summary>`llmcourse train rlhf`: the assistant optimised against the reward model, with and without a KL term.</summary>
    static Command TrainRlhf()
    {
        var steps = new Option<int>("--steps") { Description = "Policy updates per run", DefaultValueFactory = _ => 90 };
        var klWeight = new Option<double>("--kl") { Description = "KL weight of the second run", DefaultValueFactory = _ => 0.2 };
        var cmd = new Command("rlhf", "RL against the reward model (data/models/reward.ckpt) from the assistant, twice (no KL term, then with one); writes the curves of proxy and true score and the replies at the peak and the end");
        cmd.Options.Add(steps);
        cmd.Options.Add(klWeight);
        cmd.SetAction(parse =>
        {
            if (Assistant() is not { } assistant) return 2;
            torch.set_num_threads(Environment.ProcessorCount);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var template = assistant.Template;
            using var rewardModel = RewardModel.Load(CourseData.PathOf(Rlhf.RewardModelRelativePath));
            var prompts = Rlhf.TrainingPrompts();
            var heldOut = Rlhf.HeldOutPrompts().Take(45).ToList();
            var points = new List<RlhfPoint>();
            var samples = new List<string> { "run\tstep\tprompt\treply\tproxy\ttrue" };
            foreach (var (run, weight) in new[] { ("no KL", 0.0), ($"KL {parse.GetValue(klWeight).ToString(CultureInfo.InvariantCulture)}", parse.GetValue(klWeight)) })
            {
                var start = CourseData.PathOf(SupervisedFineTuning.RelativePath);
                using var policy = Checkpoint.Load(start, template.Tokenizer);
                using var reference = Checkpoint.Load(start, template.Tokenizer);
                var config = new RlConfig(parse.GetValue(steps), PromptsPerStep: 8, SamplesPerPrompt: 8, MaxNewTokens: 80, Temperature: 1.0, LearningRate: 3e-5, KlWeight: weight, Seed: 9);
                using var rl = new ReinforcementLearning(policy, reference, template, new Rlhf.RewardModelTask(prompts, rewardModel, template), config);
                var chat = new ChatAssistant(new LanguageModel(policy, template.Tokenizer), template);
                void Measure()
                {
                    var scored = Rlhf.Score(chat, rewardModel, heldOut);
                    var kl = rl.History.Count == 0 ? 0 : rl.History[^1].Kl;
                    var point = new RlhfPoint(run, rl.Step, scored.Average(s => s.Proxy), scored.Average(s => s.True), scored.Average(s => (double)template.Tokenizer.Encode(s.Reply).Count), kl);
                    points.Add(point);
                    samples.AddRange(scored.Take(6).Select(s => string.Create(CultureInfo.InvariantCulture,
                        $"{run}\t{rl.Step}\t{heldOut[s.Prompt].Question}\t{s.Reply.Replace("\t", " ").Replace("\n", "\\n")}\t{s.Proxy:F3}\t{s.True:F3}")));
                    Console.WriteLine($"  {run}, step {point.Step}: proxy {point.Proxy:F3}, true {point.True:F3}, {point.MeanLength:F0} tokens, KL {point.Kl:F3}");
                }
                Measure();
                while (!rl.IsFinished)
                {
                    ModelCommands.RunWithProgress($"RLHF ({run})", rl, 10);
                    Measure();
                }
            }
            Rlhf.WriteCurves(points, CourseData.PathOf(Rlhf.CurvesRelativePath));
            File.WriteAllLines(CourseData.PathOf(Rlhf.SamplesRelativePath), samples);
            Console.WriteLine($"wrote data/{Rlhf.CurvesRelativePath} and data/{Rlhf.SamplesRelativePath} in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        });
        return cmd;
    }

    /// <summary>`llmcourse train dpo`: the same preference pairs, optimised directly with DPO.</summary>
    static Command TrainDpo()
    {
        var steps = new Option<int>("--steps") { Description = "Steps of 8 pairs", DefaultValueFactory = _ => 300 };
        var cmd = new Command("dpo", "DPO on the preference pairs (data/rlhf/pairs.tsv) from the assistant: data/models/dpo.ckpt");
        cmd.Options.Add(steps);
        cmd.SetAction(parse =>
        {
            if (Assistant() is not { } assistant) return 2;
            torch.set_num_threads(Environment.ProcessorCount);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var template = assistant.Template;
            var start = CourseData.PathOf(SupervisedFineTuning.RelativePath);
            var pairs = ReadPairs(CourseData.PathOf(Rlhf.PairsRelativePath));
            using var policy = Checkpoint.Load(start, template.Tokenizer);
            using var reference = Checkpoint.Load(start, template.Tokenizer);
            var n = parse.GetValue(steps);
            ModelCommands.WithProgress("DPO", n, report => { Rlhf.TrainDpo(policy, reference, template, Rlhf.TrainingPrompts(), pairs, n,
                progress: (step, loss) => report(new TrainingMetrics(step, loss, 0, 0, 0, 0, 0))); return 0; });
            var path = CourseData.PathOf(Rlhf.DpoRelativePath);
            Checkpoint.Save(path, policy, TokenizerIdentity.Of(template.Tokenizer), halfPrecision: true);
            Console.WriteLine($"wrote {path} in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        });
        return cmd;
    }
}
