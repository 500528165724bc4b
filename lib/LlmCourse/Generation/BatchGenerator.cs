using System.Diagnostics;
using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Generation;

/// <summary>
/// Many completions at once — of one prompt (best-of-n) or of many (a batch of RL problems): every row
/// of the batch samples its next token in the same step, so the model runs once per step for all of
/// them and its matrix products are big enough to keep the cores busy.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>Prefill: the distinct prompts run through the model once, left-padded to the longest so that
/// every row's next token lands in the same cache slot. Each row counts positions from 0 at its first
/// real token (the position table was trained that way) and attention never looks at padding.</item>
/// <item>The prompts' keys and values are copied to every sample of that prompt: computed once, used k times.</item>
/// <item>Each step samples a token per row (<see cref="BatchSampler"/>) and feeds it back; its keys and values
/// are written in place into a <see cref="BatchKvCache"/> allocated once.</item>
/// <item>A row ends at a stop token, at the token limit, or when it fills the model's context. Finished rows
/// ride along (their tokens ignored) until enough have finished to be worth dropping from the batch.</item>
/// </list>
/// <see cref="LanguageModel.Stream(string, int, Sampling?, int, IReadOnlyCollection{int}?)"/> is the same loop for
/// one sequence, step by step in plain C#; this is the one to use when speed matters.
/// </remarks>
/// <example>
/// <code>
/// var generator = new BatchGenerator(model);
/// var prompts = new[] { "12 + 7 =", "30 - 4 =" }.Select(p => tokenizer.Encode(p)).ToList();
/// var completions = generator.Generate(prompts, samplesPerPrompt: 8, maxNewTokens: 20,
///     new Sampling(temperature: 1.0, topK: 50), stopTokens: [endOfTurn], seed: 1);
/// foreach (var c in completions)   // prompt 0's 8 samples, then prompt 1's
///     Console.WriteLine($"{c.Prompt}.{c.Sample}: {tokenizer.Decode(c.Tokens)} ({c.Finish}, log p = {c.LogProbability:F2})");
/// completions.TokensPerSecond      // how fast the decoding went
/// </code>
/// </example>
public sealed class BatchGenerator(Gpt model)
{
    public Gpt Model { get; } = model;

    /// <summary>
    /// Finished rows leave the batch once at least this fraction of it has finished. Dropping them copies
    /// the cache of every row that stays (about what a step costs at batch 64), while a finished row left in
    /// costs its share of each step's matrix products: so drop them in groups, not one by one.
    /// 0 drops each finished row at once; above 1 never drops any.
    /// </summary>
    internal double CompactAt { get; init; } = 0.25;

    /// <summary>
    /// <paramref name="samplesPerPrompt"/> completions of each prompt, all sampled together.
    /// </summary>
    /// <param name="prompts">Token ids of each prompt; lengths may differ. Each must leave room for one new token in the context.</param>
    /// <param name="samplesPerPrompt">Completions per prompt.</param>
    /// <param name="maxNewTokens">The most tokens any completion samples (its stop token included).</param>
    /// <param name="sampling">Temperature, top-k, top-p (default: the model's own probabilities); temperature 0 is greedy.</param>
    /// <param name="stopTokens">Ids that end a completion, e.g. the end-of-turn token; reported, not part of its tokens.</param>
    /// <param name="seed">The same seed and the same inputs give the same completions.</param>
    /// <returns>Completions prompt by prompt, sample by sample: prompt p's sample s is at index p · samplesPerPrompt + s.</returns>
    public CompletionBatch Generate(IReadOnlyList<IReadOnlyList<int>> prompts, int samplesPerPrompt = 1, int maxNewTokens = 64,
        Sampling? sampling = null, IReadOnlyCollection<int>? stopTokens = null, long seed = 0)
    {
        if (samplesPerPrompt < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerPrompt), samplesPerPrompt, "Ask for at least one sample per prompt.");
        if (maxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "Cannot generate a negative number of tokens.");
        var ids = CheckPrompts(prompts);
        var rows = new Row[ids.Length * samplesPerPrompt];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = new Row(i / samplesPerPrompt, i % samplesPerPrompt, ids[i / samplesPerPrompt].Length);
        if (maxNewTokens == 0)
            return new CompletionBatch(rows.Select(r => r.ToCompletion()).ToArray(), TimeSpan.Zero, TimeSpan.Zero, 0);

        var limits = new Limits(maxNewTokens, Model.Config.ContextLength, new HashSet<int>(stopTokens ?? []));
        return Model.Evaluating(() => Run(ids, samplesPerPrompt, rows, sampling ?? Sampling.Default, limits, seed));
    }

    CompletionBatch Run(long[][] prompts, int samplesPerPrompt, Row[] rows, Sampling sampling, Limits limits, long seed)
    {
        using var run = NewDisposeScope();        // frees whatever the steps leave behind when generation ends
        using var generator = new Generator((ulong)seed);
        var clock = Stopwatch.StartNew();
        var (cache, logits, padding) = Prefill(prompts, samplesPerPrompt, limits);
        try
        {
            var prefill = clock.Elapsed;
            var steps = Decode(cache, logits, padding, rows, sampling, limits, generator);
            return new CompletionBatch(rows.Select(r => r.ToCompletion()).ToArray(), prefill, clock.Elapsed - prefill, steps);
        }
        finally { cache.Dispose(); }
    }

    /// <summary>
    /// Runs the distinct prompts through the model at once, then gives each of their samples its own copy
    /// of the prompt's keys and values. Returns the cache, the first scores [rows, VocabSize] and each row's padding.
    /// </summary>
    (BatchKvCache Cache, Tensor Logits, long[] Padding) Prefill(long[][] prompts, int samplesPerPrompt, Limits limits)
    {
        var longest = prompts.Max(p => p.Length);
        // A row is fed its prompt and then every sampled token but the last, which is never fed back.
        var mostNew = Math.Min(limits.MaxNewTokens, limits.Context - prompts.Min(p => p.Length));
        var padding = prompts.Select(p => (long)(longest - p.Length)).ToArray();
        var (tokens, positions, mask) = LeftPadded(prompts, padding, longest);

        var cache = new BatchKvCache(Model.Config, prompts.Length, capacity: longest + mostNew - 1);
        try
        {
            var logits = Model.Forward(tokens, positions, cache, mask);
            if (samplesPerPrompt == 1) return (cache, logits, padding);
            var repeated = cache.RepeatRows(samplesPerPrompt);
            cache.Dispose();
            return (repeated, logits.repeat_interleave(samplesPerPrompt, dim: 0),
                padding.SelectMany(p => Enumerable.Repeat(p, samplesPerPrompt)).ToArray());
        }
        catch { cache.Dispose(); throw; }
    }

    /// <summary>
    /// The loop: sample a token for every running row, record it, drop finished rows when enough have
    /// finished, feed the new tokens back. Returns the number of sampling steps.
    /// </summary>
    int Decode(BatchKvCache cache, Tensor logits, long[] padding, Row[] rows, Sampling sampling, Limits limits, Generator generator)
    {
        // The batch's rows in batch order (rows drop out as the batch is compacted), as an array and as a tensor.
        var batch = Enumerable.Range(0, rows.Length).ToArray();
        var batchRows = arange(rows.Length, dtype: ScalarType.Int64);
        // Which cache slots of each row hold real tokens: [batch, 1, 1, capacity], narrowed to the filled slots each step.
        var realSlots = (arange(cache.Capacity, dtype: ScalarType.Int64) >= tensor(padding).unsqueeze(1)).view(-1, 1, 1, cache.Capacity);
        var anyPadding = padding.Any(p => p > 0);
        var greedy = BatchSampler.IsGreedy(sampling);

        for (var steps = 1; ; steps++)
        {
            using var step = NewDisposeScope();
            // A random number for every row of the full batch, then the running rows' own: each row's draws
            // depend on the seed, its place and the step only, not on which other rows are still in the batch.
            var uniform = greedy ? null : rand(rows.Length, generator: generator);
            if (uniform is not null && batch.Length < rows.Length) uniform = uniform.index_select(0, batchRows);
            var (next, logProbabilities) = BatchSampler.Sample(logits, sampling, uniform);
            var nextIds = next.data<long>().ToArray();
            var nextLogProbabilities = logProbabilities.data<float>().ToArray();

            var running = new List<long>(batch.Length);               // batch positions of rows still going
            for (var i = 0; i < batch.Length; i++)
            {
                var row = rows[batch[i]];
                if (row.Finish is not null) continue;                 // finished earlier, still riding along
                row.Take((int)nextIds[i], nextLogProbabilities[i], limits);
                if (row.Finish is null) running.Add(i);
            }
            if (running.Count == 0) return steps;

            var finished = batch.Length - running.Count;
            if (finished > 0 && finished >= CompactAt * batch.Length)
            {
                using var keep = tensor(running.ToArray());
                cache.KeepRows(keep);
                next = next.index_select(0, keep);
                Replace(ref realSlots, realSlots.index_select(0, keep));
                Replace(ref batchRows, batchRows.index_select(0, keep));
                batch = running.Select(i => batch[(int)i]).ToArray();
                anyPadding = batch.Any(r => padding[r] > 0);
            }

            // Each row's position: its slot minus its padding. (Capped for finished rows riding along, which
            // would otherwise run off the end of the position table; nothing reads their output.)
            var slot = cache.Length;
            var positions = tensor(batch.Select(r => Math.Min(slot - padding[r], limits.Context - 1)).ToArray(), [batch.Length, 1]);
            var attend = anyPadding ? realSlots.narrow(3, 0, slot + 1) : null;
            Replace(ref logits, Model.Forward(next.unsqueeze(1), positions, cache, attend));
        }
    }

    /// <summary>Keeps a step's result for the next step (moving it out of the step's scope) and frees the old one.</summary>
    static void Replace(ref Tensor kept, Tensor value)
    {
        var old = kept;
        kept = value.MoveToOuterDisposeScope();
        old.Dispose();
    }

    /// <summary>
    /// The prompts as one batch, right-aligned: [prompts, longest] token ids, each token's position in its
    /// own prompt, and the attention mask [prompts, 1, longest, longest] — causal, and never a padding slot.
    /// </summary>
    static (Tensor Tokens, Tensor Positions, Tensor Mask) LeftPadded(long[][] prompts, long[] padding, int longest)
    {
        var flat = new long[prompts.Length * longest];                  // padding slots hold token 0, never attended to
        for (var p = 0; p < prompts.Length; p++)
            Array.Copy(prompts[p], 0, flat, p * longest + padding[p], prompts[p].Length);
        var tokens = tensor(flat, [prompts.Length, longest]);

        var pads = tensor(padding).unsqueeze(1);                        // [prompts, 1]
        var slots = arange(longest, dtype: ScalarType.Int64).unsqueeze(0);   // [1, longest]
        var positions = (slots - pads).clamp_min(0);                    // 0 at each prompt's first real token
        var real = (slots >= pads).unsqueeze(1);                        // [prompts, 1, keys]
        var causal = ones(longest, longest, dtype: ScalarType.Bool).tril().unsqueeze(0);
        // A padding slot's query may see itself: its output is never used, but a row of nothing but masked
        // scores would softmax to NaN, and NaN keys in the cache would poison the real rows' attention.
        var itself = eye(longest, dtype: ScalarType.Bool).unsqueeze(0);
        var mask = causal & (real | itself);                           // [prompts, queries, keys]
        return (tokens, positions, mask.unsqueeze(1));
    }

    long[][] CheckPrompts(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        if (prompts.Count == 0) throw new ArgumentException("Give at least one prompt.", nameof(prompts));
        var context = Model.Config.ContextLength;
        var ids = new long[prompts.Count][];
        for (var i = 0; i < prompts.Count; i++)
        {
            var prompt = prompts[i];
            if (prompt.Count == 0) throw new ArgumentException($"Prompt {i} is empty; each prompt needs at least one token.", nameof(prompts));
            if (prompt.Count >= context)
                throw new ArgumentException(
                    $"Prompt {i} has {prompt.Count} tokens, but the model's context holds {context} and at least one new token must fit: " +
                    $"shorten it to at most {context - 1} tokens (e.g. keep its last {context - 1}).", nameof(prompts));
            ids[i] = Model.Ids(prompt);
        }
        return ids;
    }

    sealed record Limits(int MaxNewTokens, int Context, HashSet<int> StopTokens);

    /// <summary>One completion as it is being sampled.</summary>
    sealed class Row(int prompt, int sample, int promptLength)
    {
        readonly List<int> tokens = [];
        readonly List<float> logProbabilities = [];
        int? stopToken;

        public int PromptLength { get; } = promptLength;
        public FinishReason? Finish { get; private set; }

        public void Take(int id, float logProbability, Limits limits)
        {
            logProbabilities.Add(logProbability);
            if (limits.StopTokens.Contains(id)) { stopToken = id; Finish = FinishReason.Stop; return; }
            tokens.Add(id);
            if (tokens.Count == limits.MaxNewTokens) Finish = FinishReason.Length;
            else if (PromptLength + tokens.Count == limits.Context) Finish = FinishReason.Context;
        }

        public Completion ToCompletion() =>
            new(prompt, sample, tokens.ToArray(), stopToken, Finish ?? FinishReason.Length, logProbabilities.ToArray());
    }
}
