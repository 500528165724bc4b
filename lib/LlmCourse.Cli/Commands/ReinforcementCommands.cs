using System.CommandLine;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Modeling;
using LlmCourse.Reinforcement;
using LlmCourse.Tasks;
using LlmCourse.Training;
using Spectre.Console;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

/// <summary>Part 6: `train rl` (the reasoner) and `eval rl` (before and after, by difficulty).</summary>
public static class ReinforcementCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Train.Subcommands.Add(TrainRl());
        groups.Eval.Subcommands.Add(EvalRl());
    }

    static Command TrainRl()
    {
        var output = new Option<string>("--output") { Description = "Where to write the reasoner", DefaultValueFactory = _ => CourseData.PathOf(Reasoner.RelativePath) };
        var steps = new Option<int>("--steps") { Description = "Policy updates", DefaultValueFactory = _ => Reasoner.Config.Steps };
        var learningRate = new Option<double>("--learning-rate") { Description = "AdamW's learning rate", DefaultValueFactory = _ => Reasoner.Config.LearningRate };
        var checkEvery = new Option<int>("--check-every") { Description = "Measure held-out pass@1 and pass@k every this many steps", DefaultValueFactory = _ => 25 };
        var cmd = new Command("rl", "Reinforcement learning on word problems from the assistant (data/models/assistant.ckpt): the reasoner (resumes an interrupted run)");
        cmd.Options.Add(output);
        cmd.Options.Add(steps);
        cmd.Options.Add(learningRate);
        cmd.Options.Add(checkEvery);
        cmd.SetAction(parse =>
        {
            var start = CourseData.PathOf(SupervisedFineTuning.RelativePath);
            if (!File.Exists(start))
            {
                Console.Error.WriteLine($"llmcourse train rl: the starting model {start} is missing; build it first with `./llmcourse train sft`.");
                return 2;
            }
            torch.set_num_threads(Environment.ProcessorCount);
            var path = parse.GetValue(output)!;
            var runFile = path + ".run";
            var curvesFile = Path.ChangeExtension(path, null) + "-curves.tsv";
            var template = ChatTemplate.Course;
            var task = new WordProblemTask(Reasoner.PracticeProblems());
            var config = Reasoner.Config with { Steps = parse.GetValue(steps), LearningRate = parse.GetValue(learningRate) };
            var clock = System.Diagnostics.Stopwatch.StartNew();

            ReinforcementLearning rl;
            var checks = new List<ReasonerCheck>();
            if (File.Exists(runFile))
            {
                rl = ReinforcementLearning.Resume(runFile, null, template, task);
                if (rl.Config != config)
                {
                    Console.Error.WriteLine($"llmcourse train rl: {runFile} continues a run of {rl.Config}, not {config}; delete it to start over.");
                    return 2;
                }
                if (File.Exists(curvesFile + ".partial")) checks.AddRange(Reasoner.ReadCurves(curvesFile + ".partial"));
                Console.WriteLine($"resuming at step {rl.Step} from {runFile}");
            }
            else rl = new ReinforcementLearning(Checkpoint.Load(start, template.Tokenizer), null, template, task, config);

            using (rl)
            {
                var policy = new ChatAssistant(new Generation.LanguageModel(rl.Policy, template.Tokenizer), template);
                var every = parse.GetValue(checkEvery);
                void CheckNow()
                {
                    var reward = rl.History.Count == 0 ? double.NaN : rl.History.TakeLast(every).Average(m => m.MeanReward);
                    var check = Reasoner.Check(policy, rl.Step, reward);
                    checks.Add(check);
                    Reasoner.WriteCurves(checks, curvesFile + ".partial");
                    AnsiConsole.MarkupLineInterpolated($"step {check.Step}: held-out pass@1 {check.PassAt1:P1}, pass@{check.K} {check.PassAtK:P1}, reply {check.MeanReplyTokens:F0} tokens, practice reward {(double.IsNaN(reward) ? "–" : reward.ToString("P1"))}");
                }
                if (checks.Count == 0) CheckNow();
                while (!rl.IsFinished)
                {
                    ModelCommands.RunWithProgress($"RL steps {rl.Step + 1}–{Math.Min(config.Steps, rl.Step + every)}", rl, every);
                    rl.Save(runFile, TokenizerIdentity.Of(template.Tokenizer));
                    CheckNow();
                }
                Checkpoint.Save(path, rl.Policy, TokenizerIdentity.Of(template.Tokenizer), halfPrecision: true);
                var tokens = rl.History.Sum(m => (long)(m.MeanLength * m.Groups * config.SamplesPerPrompt));
                new ModelCard("reasoner", "./llmcourse train rl", rl.Policy.Config, rl.Policy.ParameterCount, SupervisedFineTuning.RelativePath, rl.Step,
                    config.PromptsPerStep * config.SamplesPerPrompt, tokens, null, Math.Round(rl.History.Sum(m => m.Milliseconds) / 1000, 1), torch.get_num_threads(),
                    Math.Round(rl.History[^1].Loss, 4), null, DateTime.UtcNow.ToString("yyyy-MM-dd")).Save(path);
                Reasoner.WriteCurves(checks, curvesFile);
                File.Delete(curvesFile + ".partial");
                File.Delete(runFile);
            }
            Console.WriteLine($"wrote {Path.GetFullPath(path)}, its model card and {curvesFile} in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        });
        return cmd;
    }

    static Command EvalRl()
    {
        var samples = new Option<int>("--samples") { Description = "Sampled attempts per problem for pass@k", DefaultValueFactory = _ => 16 };
        var cmd = new Command("rl", "Held-out word problems, assistant vs reasoner: greedy accuracy and pass@k by difficulty");
        cmd.Options.Add(samples);
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(Environment.ProcessorCount);
            var problems = WordProblems.HeldOut();
            var n = parse.GetValue(samples);
            foreach (var (name, load) in new (string, Func<ChatAssistant>)[] { ("assistant", SupervisedFineTuning.LoadShipped), ("reasoner", Reasoner.LoadShipped) })
            {
                var results = PassAtK.Run(load(), problems, n);
                Console.WriteLine($"{name}: {problems.Count} held-out problems, {n} samples each");
                Console.WriteLine(PassAtK.ByDifficulty(results, 1, 4, n).ToText());
                Console.WriteLine();
            }
            return 0;
        });
        return cmd;
    }
}
