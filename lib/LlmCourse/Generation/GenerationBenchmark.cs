using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Generation;

/// <summary>
/// How fast <see cref="BatchGenerator"/> samples, measured as the PyTorch reference (bench/ref_generate.py)
/// does: random weights of the given shape (speed does not depend on them), <c>Batch</c> random prompts of
/// <c>PromptLength</c> tokens prefilled at once, then <c>NewTokens</c> tokens sampled for every row with
/// temperature 1 and top-k 50, no stop tokens; one warm-up run, then the median of <c>Runs</c>.
/// </summary>
/// <param name="TokensPerSecond">Generated tokens across the batch per second of decoding (median run).</param>
/// <param name="MillisecondsPerStep">Decoding time per sampling step (median run).</param>
/// <param name="PrefillMilliseconds">The prompts' forward pass (median run).</param>
/// <param name="FastestTokensPerSecond">The fastest run's rate: the nearest to an idle machine when others share the cores.</param>
public sealed record GenerationBenchmark(
    GptConfig Config, long Parameters, int Batch, int PromptLength, int NewTokens, int Runs,
    double TokensPerSecond, double MillisecondsPerStep, double PrefillMilliseconds, double FastestTokensPerSecond)
{
    /// <summary>The sampling the reference uses.</summary>
    public static Sampling ReferenceSampling { get; } = new(temperature: 1.0, topK: 50);

    public static GenerationBenchmark Measure(GptConfig config, int batch = 64, int promptLength = 32, int newTokens = 64, int runs = 5, long seed = 1337)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), runs, "Time at least one run.");
        if (promptLength + newTokens > config.ContextLength)
            throw new ArgumentException($"{promptLength} prompt + {newTokens} new tokens do not fit the context of {config.ContextLength}.");
        using var model = new Gpt(config, seed);
        var random = new Random((int)seed);
        var prompts = Enumerable.Range(0, batch)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, promptLength).Select(_ => random.Next(config.VocabSize)).ToArray())
            .ToArray();
        var generator = new BatchGenerator(model);

        CompletionBatch Run(int i) => generator.Generate(prompts, 1, newTokens, ReferenceSampling, stopTokens: null, seed: seed + i);
        Run(-1);                                                             // warm-up: allocator, thread pool, JIT
        var results = Enumerable.Range(0, runs).Select(Run).ToList();
        if (results.Any(r => r.SampledTokens != batch * newTokens))
            throw new InvalidOperationException("A benchmark run generated fewer tokens than asked for.");

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        var decode = Median(results.Select(r => r.Decode.TotalSeconds));
        var fastest = results.Min(r => r.Decode.TotalSeconds);
        return new GenerationBenchmark(config, model.ParameterCount, batch, promptLength, newTokens, runs,
            TokensPerSecond: batch * newTokens / decode,
            MillisecondsPerStep: decode / newTokens * 1e3,
            PrefillMilliseconds: Median(results.Select(r => r.Prefill.TotalMilliseconds)),
            FastestTokensPerSecond: batch * newTokens / fastest);
    }
}
