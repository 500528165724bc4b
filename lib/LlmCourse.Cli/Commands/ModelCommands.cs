using System.CommandLine;
using System.Globalization;
using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tokenization;
using LlmCourse.Training;
using Spectre.Console;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

public static class ModelCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Bench.Subcommands.Add(BenchTrain());
        groups.Bench.Subcommands.Add(BenchRecipe());
        groups.Train.Subcommands.Add(TrainBase());
        groups.Eval.Subcommands.Add(EvalRecall());
    }

    /// <summary>`llmcourse train base`: pre-trains the shipped base model from scratch on the course corpus.</summary>
    static Command TrainBase()
    {
        var output = new Option<string>("--output") { Description = "Where to write the checkpoint", DefaultValueFactory = _ => CourseData.PathOf(BaseModel.RelativePath) };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (the shipped model's recipe by default)", DefaultValueFactory = _ => BaseModel.Training.Steps };
        var cmd = new Command("base", "Pre-train the course's base model from scratch on data/corpus.parquet with the course tokenizer (resumes an interrupted run)");
        cmd.Options.Add(output);
        cmd.Options.Add(steps);
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(Environment.ProcessorCount);
            MallocTuning.Apply();
            var tokenizer = CourseTokenizer.LoadShipped();
            var tokens = BaseModel.CorpusTokens(tokenizer);
            var config = BaseModel.Config(tokenizer);
            var training = BaseModel.Training with { Steps = parse.GetValue(steps) };
            var path = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            Console.WriteLine($"corpus: {tokens.Length:N0} tokens ({tokenizer.Name}); model: {config}; {training.Steps} steps of " +
                              $"{training.BatchSize} x {config.ContextLength} tokens = {training.Tokens(config.ContextLength) / (double)tokens.Length:F1} passes");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            TrainingMetrics? last = null;
            double? heldOut = null;
            using var model = WithProgress("base model", training.Steps, report => Pretraining.Run(tokens, config, training, path,
                TokenizerIdentity.Of(tokenizer), progress: m => { report(m); last = m; heldOut = m.ValidationLoss ?? heldOut; }, halfPrecision: true,
                inductionProbe: BaseModel.InductionProbe(tokenizer)));
            Console.WriteLine($"{model.ParameterCount:N0} parameters trained in {clock.Elapsed.TotalMinutes:F1} min; last loss {last?.Loss:F3}, held-out {heldOut:F3}");
            Console.WriteLine($"wrote {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F1} MB)");
            return 0;
        });
        return cmd;
    }

    /// <summary>`llmcourse eval recall`: the shipped model's fact recall by how often each fact was in the corpus.</summary>
    static Command EvalRecall()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint to evaluate", DefaultValueFactory = _ => CourseData.PathOf(BaseModel.RelativePath) };
        var facts = new Option<string>("--facts") { Description = "The facts to ask (TSV, as data/facts.tsv)", DefaultValueFactory = _ => CourseData.PathOf("facts.tsv") };
        var cmd = new Command("recall", "Fact recall of a model (greedy answers to data/facts.tsv's prompts), by mention-count bucket");
        cmd.Options.Add(model);
        cmd.Options.Add(facts);
        cmd.SetAction(parse =>
        {
            try
            {
                var questions = FactWorld.ReadTsv(parse.GetValue(facts)!);   // first: a bad file fails before the model loads
                torch.set_num_threads(Environment.ProcessorCount);
                var lm = LanguageModel.Load(parse.GetValue(model)!, CourseTokenizer.LoadShipped());
                Console.WriteLine(FactRecall.Evaluate(lm, questions).ToText());
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CheckpointException)
            {
                // A missing or malformed file is the user's to fix: one line naming it, no stack trace.
                Console.Error.WriteLine($"llmcourse eval recall: {(e is FileNotFoundException { FileName: { } f } && !e.Message.Contains(f) ? $"{f}: " : "")}{e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>`llmcourse bench train`: training speed, MFU and memory of the live and the shipped config.</summary>
    static Command BenchTrain()
    {
        var steps = new Option<int>("--steps") { Description = "Timed steps of the live config (the memory target is over 500)", DefaultValueFactory = _ => 500 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps of the live config first (JIT tiering and the GC settle in ~150)", DefaultValueFactory = _ => 150 };
        var shippedSteps = new Option<int>("--shipped-steps") { Description = "Timed steps of the shipped config (~1 s each on 2 cores)", DefaultValueFactory = _ => 50 };
        var shippedWarmup = new Option<int>("--shipped-warmup") { Description = "Untimed steps of the shipped config first", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default: the number of cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var which = new Option<string>("--config") { Description = "live, shipped or both", DefaultValueFactory = _ => "both" };
        var batch = new Option<int>("--batch") { Description = "Windows per step", DefaultValueFactory = _ => 16 };
        var liveVocab = new Option<int>("--live-vocab") { Description = "Vocabulary of the live config (the PyTorch reference uses 512)", DefaultValueFactory = _ => 512 };
        var shippedVocab = new Option<int>("--shipped-vocab") { Description = "Vocabulary of the shipped config (the course BPE's size)", DefaultValueFactory = _ => 4096 };
        var fused = new Option<bool>("--written-out") { Description = "Use the written-out attention instead of the fused kernel" };

        var cmd = new Command("train", "Training speed (tokens/s, step time, MFU against this machine's matmul peak) and memory (RSS) of the live and shipped GPT configs");
        foreach (var option in new Option[] { steps, warmup, shippedSteps, shippedWarmup, threads, which, batch, liveVocab, shippedVocab, fused }) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            var configs = parse.GetValue(which)!.ToLowerInvariant() switch
            {
                "live" => new[] { ("live", GptConfig.Live(parse.GetValue(liveVocab))) },
                "shipped" => [("shipped", GptConfig.Shipped(parse.GetValue(shippedVocab)))],
                "both" => [("live", GptConfig.Live(parse.GetValue(liveVocab))), ("shipped", GptConfig.Shipped(parse.GetValue(shippedVocab)))],
                var other => throw new ArgumentException($"--config {other}: use live, shipped or both"),
            };
            var threadCount = parse.GetValue(threads);
            torch.set_num_threads(threadCount);

            Console.WriteLine($"llmcourse bench train: {threadCount} threads on {Environment.ProcessorCount} cores, TorchSharp {typeof(torch).Assembly.GetName().Version}, " +
                              $"load average before start {LoadAverage()}");
            Console.WriteLine("  (a load average above 0 means other processes share these cores: the figures are then low)");
            MallocTuning.Apply();
            Console.WriteLine("memory: " + MallocTuning.Describe());
            var peak = Throughput.MatmulPeakGflops();
            Console.WriteLine($"fp32 matmul peak (1024^3, best of 5 x 20): {peak:F1} GFLOP/s");
            Console.WriteLine("FLOPs per token counted as nanoGPT's estimate_mfu: 6N + 12·L·H·Q·T (N without the position table)");

            var results = new List<(string Name, TrainingBenchmark Bench, List<(int Step, long Bytes)> Rss)>();
            foreach (var (name, config) in configs)
            {
                var (stepCount, warmupCount) = name == "live"
                    ? (parse.GetValue(steps), parse.GetValue(warmup))
                    : (parse.GetValue(shippedSteps), parse.GetValue(shippedWarmup));
                var total = warmupCount + stepCount;
                var rss = new List<(int Step, long Bytes)>();
                var bench = WithProgress($"{name}: training", total,
                    report => Throughput.MeasureTraining(config, parse.GetValue(batch), stepCount, warmupCount, peak,
                        progress: m =>
                        {
                            report(m);
                            if (m.Step % Math.Max(1, total / 10) == 0 || m.Step == total) rss.Add((m.Step, Throughput.ResidentBytes()));
                        },
                        useFusedAttention: !parse.GetValue(fused)));
                results.Add((name, bench, rss));
            }
            // Measured again at the end: on a shared machine, the higher of the two is nearer the true peak.
            var peakAfter = Throughput.MatmulPeakGflops();
            Console.WriteLine($"fp32 matmul peak again after training: {peakAfter:F1} GFLOP/s; MFU below is against {Math.Max(peak, peakAfter):F1}");
            peak = Math.Max(peak, peakAfter);
            foreach (var (name, bench, rss) in results)
            {
                var warmupCount = name == "live" ? parse.GetValue(warmup) : parse.GetValue(shippedWarmup);
                Print(name, bench with { Mfu = bench.AchievedGflops / peak });
                Console.WriteLine("  RSS by step " + string.Join(", ", rss.Select(r => $"{r.Step}: {r.Bytes / (1024 * 1024)} MB")) +
                                  $"; highest after warm-up {(double)rss.Where(r => r.Step > warmupCount).Max(r => r.Bytes) / bench.RssAfterWarmupBytes - 1:+0.0%;-0.0%} over the settled warm-up figure (between trims)");
            }
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// `llmcourse bench recipe`: the GPT-2 recipe against the newer one, one change at a time, each
    /// trained from scratch for the same wall-clock budget on the same data, then measured on the same
    /// held-out batches and the induction probe.
    /// </summary>
    static Command BenchRecipe()
    {
        var minutes = new Option<double>("--minutes") { Description = "Training time per candidate", DefaultValueFactory = _ => 2.0 };
        var only = new Option<string>("--candidates")
        {
            Description = "Comma-separated subset of: " + string.Join(", ", RecipeCandidates(2).Select(c => c.Name)),
            DefaultValueFactory = _ => "all",
        };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default: the number of cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("recipe", "Learning per CPU-minute: GPT-2 shape + AdamW, then +RoPE, +RMSNorm/QK-norm, +ReLU², +Muon, +untied head " +
                                         "(same time budget, data and shape each; held-out loss and induction score)");
        foreach (var option in new Option[] { minutes, only, threads }) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            var budget = TimeSpan.FromMinutes(parse.GetValue(minutes));
            if (budget <= TimeSpan.Zero) throw new ArgumentException("--minutes must be positive.");
            var tokenizer = CourseTokenizer.LoadShipped();
            var all = RecipeCandidates(tokenizer.VocabSize);
            var names = parse.GetValue(only)!;
            var chosen = names == "all" ? all : names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => all.FirstOrDefault(c => c.Name == n) ?? throw new ArgumentException(
                    $"--candidates: no candidate '{n}'; choose from {string.Join(", ", all.Select(c => c.Name))}."))
                .ToList();
            torch.set_num_threads(parse.GetValue(threads));

            var tokens = BaseModel.CorpusTokens(tokenizer);
            var contextLength = GptConfig.Shipped(tokenizer.VocabSize).ContextLength;
            var (train, heldOut) = TokenWindows.Split(tokens, contextLength);
            var endOfText = tokenizer.SpecialTokens[CourseTokenizer.EndOfText];
            var ordinary = tokenizer.VocabSize - tokenizer.SpecialTokens.Count;
            Console.WriteLine($"llmcourse bench recipe: {budget.TotalMinutes:0.##} min per candidate, batch 16, {tokens.Length:N0} corpus tokens, " +
                              $"{torch.get_num_threads()} threads; load average before start {LoadAverage()}");
            Console.WriteLine("  (a load average above 0 means other processes share these cores: the figures are then low)");

            var rows = new List<string[]>();
            foreach (var (name, config, optimizer) in chosen)
            {
                // The schedule needs a step count: time a few steps of a throwaway copy, then fit the budget.
                var stepSeconds = SecondsPerStep(config, optimizer, train);
                var steps = Math.Max(1, (int)(budget.TotalSeconds / stepSeconds));
                var training = BaseModel.Training with
                {
                    Steps = steps, WarmupSteps = Math.Min(BaseModel.Training.WarmupSteps, steps / 10), Optimizer = optimizer,
                };
                using var model = new Gpt(config);
                using var trainer = new Trainer(model, train, null, training);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!trainer.IsFinished && clock.Elapsed < budget) trainer.TrainStep();
                clock.Stop();
                var loss = Trainer.Evaluate(model, heldOut, 16, BaseModel.Training.EvalBatches, BaseModel.Training.Seed);
                var induction = Induction.Measure(model, ordinary, endOfText);
                Console.WriteLine($"  {name}: {trainer.Step} steps in {clock.Elapsed.TotalSeconds:F0} s, held-out loss {loss:F3}, {induction}");
                rows.Add([name, $"{model.ParameterCount:N0}", $"{trainer.Step}", $"{trainer.Tokens / clock.Elapsed.TotalSeconds:N0}",
                          $"{loss:F3}", $"{induction.Score:P1}"]);
            }

            var table = new Table().AddColumns("candidate", "parameters", "steps", "tokens/s", "held-out loss", "induction");
            foreach (var row in rows) table.AddRow(row);
            AnsiConsole.Write(table);
            Console.WriteLine($"induction: share of right top predictions on the second copy of 50 random {24}-token sequences " +
                              $"(chance {1.0 / (ordinary - Induction.FirstOrdinaryId):P2}); load average after: {LoadAverage()}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The candidates of `bench recipe`, each adding one change to the one before.</summary>
    sealed record RecipeCandidate(string Name, GptConfig Config, Optimizer Optimizer);

    static List<RecipeCandidate> RecipeCandidates(int vocabSize)
    {
        var baseline = GptConfig.Gpt2(vocabSize);
        var rope = baseline with { Positions = PositionEncoding.Rotary };
        var norm = rope with { Norm = Normalization.RmsNorm, QkNorm = true };
        var relu2 = norm with { Activation = Activation.ReluSquared };
        var untied = relu2 with { TiedHead = false };
        return
        [
            new("baseline", baseline, Optimizer.AdamW), new("+rope", rope, Optimizer.AdamW),
            new("+rmsnorm-qknorm", norm, Optimizer.AdamW), new("+relu2", relu2, Optimizer.AdamW),
            new("+muon", relu2, Optimizer.Muon), new("+untied", untied, Optimizer.Muon),
        ];
    }

    /// <summary>Seconds per training step of a fresh model (2 untimed steps, then the median of 3).</summary>
    static double SecondsPerStep(GptConfig config, Optimizer optimizer, IBatchSource train)
    {
        using var model = new Gpt(config);
        using var trainer = new Trainer(model, train, null, BaseModel.Training with { Optimizer = optimizer });
        trainer.Run(2);
        return trainer.Run(3).Select(m => m.Milliseconds).Order().ElementAt(1) / 1000;
    }

    static void Print(string name, TrainingBenchmark b)
    {
        const double MB = 1024 * 1024;
        Console.WriteLine();
        Console.WriteLine($"{name}: {b.Config}, {b.Parameters:N0} parameters, batch {b.BatchSize}");
        Console.WriteLine($"  step      {b.MedianStepMilliseconds:F1} ms median of {b.Steps} (fastest {b.FastestStepMilliseconds:F1}, slowest {b.SlowestStepMilliseconds:F1})");
        Console.WriteLine($"  speed     {b.TokensPerSecond:N0} tokens/s, {b.FlopsPerToken / 1e6:F2} MFLOP/token, {b.AchievedGflops:F1} GFLOP/s, MFU {b.Mfu:P1}");
        var best = b.BatchSize * b.Config.ContextLength / (b.FastestStepMilliseconds / 1000);
        Console.WriteLine($"  best step {best:N0} tokens/s, MFU {best * b.FlopsPerToken / (b.Mfu > 0 ? b.AchievedGflops * 1e9 / b.Mfu : double.NaN):P1} " +
                          "(the fastest step: closest to an idle machine when others share the cores)");
        Console.WriteLine($"  memory    RSS {b.RssStartBytes / MB:F0} MB at start, {b.RssAfterWarmupBytes / MB:F0} MB after warm-up (settled: after GC and trim), " +
                          $"{b.RssEndBytes / MB:F0} MB after {b.Steps} more steps ({b.RssGrowth:+0.0%;-0.0%}), {b.MinorPageFaultsPerStep:N0} page faults/step");
        Console.WriteLine($"  loss      {b.FirstLoss:F3} -> {b.LastLoss:F3} (random tokens: stays near ln V = {Math.Log(b.Config.VocabSize):F3})");
        Console.WriteLine(FormattableString.Invariant(
            $"  {name}: tokens_per_s={b.TokensPerSecond:F1} ms_per_step={b.MedianStepMilliseconds:F2} mfu={b.Mfu:F3} params={b.Parameters} rss_growth={b.RssGrowth:F4}"));
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a progress bar showing steps and tokens/s. `train base` uses the
    /// same bar around <see cref="Trainer.Run"/>.
    /// </summary>
    internal static T WithProgress<T>(string title, int total, Func<Action<TrainingMetrics>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: total);
                result = work(m =>
                {
                    task.Increment(1);
                    task.Description = $"{title} step {m.Step}, loss {m.Loss:F3}, {m.TokensPerSecond:N0} tokens/s";
                });
            });
        return result;
    }

    /// <summary>The same progress bar around reinforcement-learning steps: reward instead of loss.</summary>
    /// <summary>Runs <paramref name="steps"/> more updates of <paramref name="rl"/> under a progress bar showing each step's reward.</summary>
    internal static void RunWithProgress(string title, Reinforcement.ReinforcementLearning rl, int steps) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: steps);
                void Report(Reinforcement.RlMetrics m)
                {
                    task.Increment(1);
                    task.Description = $"{title}: step {m.Step}, reward {m.MeanReward:P0}, {m.MeanLength:F0} tokens, {m.Milliseconds / 1000:F1} s";
                }
                rl.StepCompleted += Report;
                try { rl.Run(steps); }
                finally { rl.StepCompleted -= Report; }
            });

    static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }
}
