using System.Diagnostics;
using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Training;

/// <summary>
/// How much arithmetic training costs, and how fast this machine does it. Used by
/// `llmcourse bench train` and by notebook 02's "what the real thing costs" (6·N·D).
/// </summary>
public static class Throughput
{
    /// <summary>
    /// Training FLOPs per token, counted as nanoGPT's estimate_mfu (after the PaLM paper, appendix B):
    /// 6·N for the matrix products of forward and backward (2 per parameter forward, 4 backward), plus
    /// 12·L·H·Q·T for attention's scores and weighted sums (L layers, H heads, Q head size, T context).
    /// N excludes the position table, which is a lookup, not a matrix product.
    /// </summary>
    public static double FlopsPerToken(Gpt model) => FlopsPerToken(model.Config, model.NonEmbeddingParameterCount);

    public static double FlopsPerToken(GptConfig config, long nonEmbeddingParameters) =>
        6.0 * nonEmbeddingParameters + 12.0 * config.Layers * config.Heads * config.HeadSize * config.ContextLength;

    /// <summary>
    /// The fp32 matrix-multiply peak of this machine at the current thread count, in GFLOP/s: the best
    /// rate over <paramref name="repetitions"/> timings of <paramref name="iterations"/> n x n x n products
    /// (2·n³ FLOPs each), as the PyTorch reference's ref_matmul.py measures it.
    /// </summary>
    public static double MatmulPeakGflops(int n = 1024, int iterations = 20, int repetitions = 5)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(0);
        var x = randn([n, n], generator: generator);
        var y = randn([n, n], generator: generator);
        for (var i = 0; i < 10; i++) using (x.matmul(y)) { }   // warm up caches and the thread pool
        var best = 0.0;
        for (var r = 0; r < repetitions; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) using (x.matmul(y)) { }
            best = Math.Max(best, 2.0 * n * n * n * iterations / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>Resident memory after a full garbage collection and a malloc trim: what is really held.</summary>
    public static long SettledResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        MallocTuning.Trim();
        return ResidentBytes();
    }

    /// <summary>Resident memory of this process, in bytes.</summary>
    public static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>
    /// Trains a fresh model of <paramref name="config"/> on random tokens (the data does not change the
    /// arithmetic) and measures it: <paramref name="warmup"/> untimed steps, then <paramref name="steps"/>
    /// timed ones. The same model, optimizer and step as real training (AdamW with weight-decay groups,
    /// clipping, one dispose scope per step).
    /// </summary>
    public static TrainingBenchmark MeasureTraining(GptConfig config, int batchSize, int steps, int warmup = 5,
        double matmulPeakGflops = double.NaN, long seed = 1337, Action<TrainingMetrics>? progress = null, bool useFusedAttention = true)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Time at least one step.");
        if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "Warm-up cannot be negative.");
        var rssStart = ResidentBytes();

        var random = new Random((int)seed);
        var tokens = new int[1_000_000];
        for (var i = 0; i < tokens.Length; i++) tokens[i] = random.Next(config.VocabSize);
        var windows = new TokenWindows(tokens, config.ContextLength);

        using var model = new Gpt(config, seed) { UseFusedAttention = useFusedAttention };
        // The reference's settings: constant 6e-4, AdamW 0.9/0.95, weight decay 0.1, clip 1.0.
        var training = new TrainingConfig(Steps: warmup + steps, BatchSize: batchSize, LearningRate: 6e-4, MinLearningRate: 6e-4,
            WarmupSteps: 0, EvalInterval: int.MaxValue, Seed: seed);
        using var trainer = new Trainer(model, windows, null, training);
        if (progress is not null) trainer.StepCompleted += progress;

        trainer.Run(warmup);
        // Memory is compared at the same point of the allocator's cycle at both ends: after a garbage
        // collection and a trim. Between trims RSS rises and falls with the step (printed by the CLI).
        var rssAfterWarmup = SettledResidentBytes();
        var faultsBefore = MinorPageFaults();
        var timed = trainer.Run(steps);
        var faults = (MinorPageFaults() - faultsBefore) / steps;
        var rssEnd = SettledResidentBytes();

        var times = timed.Select(m => m.Milliseconds).Order().ToArray();
        var median = times[times.Length / 2];
        var tokensPerSecond = batchSize * config.ContextLength / (median / 1000);
        var flops = FlopsPerToken(model);
        return new TrainingBenchmark(config, batchSize, model.ParameterCount, torch.get_num_threads(), steps,
            median, times[0], times[^1], tokensPerSecond, flops, flops * tokensPerSecond / (matmulPeakGflops * 1e9),
            rssStart, rssAfterWarmup, rssEnd, trainer.History[0].Loss, trainer.History[^1].Loss, faults);
    }

    /// <summary>Minor page faults of this process so far (Linux; NaN elsewhere): memory the kernel had to map in.</summary>
    public static double MinorPageFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return double.Parse(fields[7]);   // field 10 of proc(5), counted after the command name
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }
}

/// <summary>What <see cref="Throughput.MeasureTraining"/> measured.</summary>
/// <param name="Mfu">Model FLOPs utilisation: achieved training FLOP/s over the measured matmul peak (NaN without a peak).</param>
public sealed record TrainingBenchmark(
    GptConfig Config,
    int BatchSize,
    long Parameters,
    int Threads,
    int Steps,
    double MedianStepMilliseconds,
    double FastestStepMilliseconds,
    double SlowestStepMilliseconds,
    double TokensPerSecond,
    double FlopsPerToken,
    double Mfu,
    long RssStartBytes,
    long RssAfterWarmupBytes,
    long RssEndBytes,
    double FirstLoss,
    double LastLoss,
    double MinorPageFaultsPerStep)
{
    /// <summary>RSS growth from the end of warm-up to the last step, as a fraction.</summary>
    public double RssGrowth => (double)(RssEndBytes - RssAfterWarmupBytes) / RssAfterWarmupBytes;

    /// <summary>Training FLOP/s achieved, in GFLOP/s.</summary>
    public double AchievedGflops => FlopsPerToken * TokensPerSecond / 1e9;
}
