using System.Text;
using LlmCourse.Modeling;
using LlmCourse.Tokenization;
using LlmCourse.Visuals;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Generation;

/// <summary>
/// A GPT together with its tokenizer: text in, probability maps and text out. Inference is a loop —
/// predict the probability map, sample one token, append it to the context, run again.
/// </summary>
/// <example>
/// <code>
/// var lm = LanguageModel.Load("data/models/base.ckpt", tokenizer);
/// lm.ProbabilityMap("The capital of France is")                  // the top 10 next tokens
/// lm.Generate("The capital of France is", 40, new Sampling(0.8), seed: 1)
/// foreach (var t in lm.Stream("Once upon a time", 100)) Console.Write(t.Text);
/// lm.Trace("The capital of France is", steps: 5)                  // context -> map -> chosen, step by step
/// </code>
/// </example>
public sealed class LanguageModel
{
    public LanguageModel(Gpt model, ITokenizer tokenizer)
    {
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException(
                $"Tokenizer '{tokenizer.Name}' has {tokenizer.VocabSize} token ids, but the model only knows {model.Config.VocabSize}: they were not made for each other.",
                nameof(tokenizer));
        Model = model;
        Tokenizer = tokenizer;
    }

    /// <summary>Loads a checkpoint, checking that <paramref name="tokenizer"/> is the one the model was trained with.</summary>
    public static LanguageModel Load(string checkpointPath, ITokenizer tokenizer) => new(Checkpoint.Load(checkpointPath, tokenizer), tokenizer);

    public Gpt Model { get; }
    public ITokenizer Tokenizer { get; }

    /// <summary>The next-token probability map after <paramref name="context"/>, showing the <paramref name="top"/> most likely.</summary>
    public ProbabilityMap ProbabilityMap(string context, int top = 10, double temperature = 1.0) =>
        ProbabilityMap(Encode(context), top, temperature);

    public ProbabilityMap ProbabilityMap(IReadOnlyList<int> context, int top = 10, double temperature = 1.0)
    {
        var sampling = new Sampling(temperature);
        var logits = Model.NextTokenLogits(context);
        return new ProbabilityMap(context, Sampler.Probabilities(logits, sampling), Tokenizer, top);
    }

    /// <summary>
    /// Generates up to <paramref name="maxTokens"/> tokens after <paramref name="prompt"/>, one at a time,
    /// as they are chosen. The same seed gives the same tokens. Stops early at any of
    /// <paramref name="stopTokens"/> (which is not returned).
    /// </summary>
    public IEnumerable<GeneratedToken> Stream(string prompt, int maxTokens, Sampling? sampling = null, int seed = 0,
        IReadOnlyCollection<int>? stopTokens = null) =>
        Stream(Encode(prompt), maxTokens, sampling, seed, stopTokens);

    /// <param name="alternatives">
    /// Null (the default): nothing extra. A number from 0 to 20: each token also carries the model's own probability for it
    /// and that many of the most likely tokens at its step (<see cref="GeneratedToken.Alternatives"/>), as a chat page or
    /// OpenAI's <c>logprobs</c> show them.
    /// </param>
    public IEnumerable<GeneratedToken> Stream(IReadOnlyList<int> prompt, int maxTokens, Sampling? sampling = null, int seed = 0,
        IReadOnlyCollection<int>? stopTokens = null, int? alternatives = null)
    {
        // Checked here, not when enumeration starts, so a bad argument fails at the call.
        if (maxTokens < 0) throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "Cannot generate a negative number of tokens.");
        if (prompt.Count == 0) throw new ArgumentException("The prompt must hold at least one token.", nameof(prompt));
        if (alternatives is < 0 or > TokenAlternatives.MaxTop)
            throw new ArgumentOutOfRangeException(nameof(alternatives), alternatives, $"Ask for 0 to {TokenAlternatives.MaxTop} alternatives per token.");
        sampling ??= Sampling.Default;
        return Texts(Steps(prompt, maxTokens, sampling, seed, stopTokens, alternatives));
    }

    /// <summary>The continuation of <paramref name="prompt"/> as one string (the prompt not included).</summary>
    public string Generate(string prompt, int maxTokens, Sampling? sampling = null, int seed = 0, IReadOnlyCollection<int>? stopTokens = null) =>
        string.Concat(Stream(prompt, maxTokens, sampling, seed, stopTokens).Select(t => t.Text));

    /// <summary>
    /// The inference loop made visible: for each of <paramref name="steps"/> steps, the context, the
    /// probability map (its <paramref name="top"/> most likely tokens) and the token chosen.
    /// </summary>
    public SamplingTrace Trace(string prompt, int steps = 5, Sampling? sampling = null, int seed = 0, int top = 5)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Cannot trace a negative number of steps.");
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, "Show at least one token per map.");
        var context = Encode(prompt).ToList();
        sampling ??= Sampling.Default;
        var trace = new List<SamplingStep>();
        foreach (var step in Steps(context, steps, sampling, seed, null))
        {
            var map = new ProbabilityMap(step.Context, step.Probabilities, Tokenizer, top);
            trace.Add(new SamplingStep(trace.Count + 1, map, new TokenProbability(step.Id, Tokenizer.Decode([step.Id]), step.Probabilities[step.Id])));
        }
        return new SamplingTrace(prompt, sampling, trace);
    }

    /// <summary>The attention weights of one head of one layer over <paramref name="text"/>, as a heatmap.</summary>
    public AttentionHeatmap Attention(string text, int layer = 0, int head = 0)
    {
        var weights = Model.Attention(Encode(text));
        return new AttentionHeatmap(weights, Tokenizer, layer, head);
    }

    IReadOnlyList<int> Encode(string text)
    {
        var ids = Tokenizer.Encode(text);
        if (ids.Count == 0) throw new ArgumentException("The text encodes to no tokens; give the model at least one.", nameof(text));
        return ids;
    }

    record struct Step(IReadOnlyList<int> Context, double[] Probabilities, int Id, TokenAlternatives? Alternatives = null);

    /// <summary>
    /// The loop itself. Keys and values of the context are cached, so each step runs the model on one new
    /// token. When the context outgrows the model's window, the window slides: the cache is rebuilt from
    /// the last ContextLength tokens, exactly what a model without a cache would see.
    /// </summary>
    IEnumerable<Step> Steps(IReadOnlyList<int> prompt, int maxTokens, Sampling sampling, int seed, IReadOnlyCollection<int>? stopTokens,
        int? alternatives = null)
    {
        var context = prompt.ToList();
        var random = new Random(seed);
        var window = Model.Config.ContextLength;
        var wasTraining = Model.training;
        Model.eval();
        using var cache = new KvCache(Model.Config);
        try
        {
            float[] logits = Prefill(context, cache);
            for (var i = 0; i < maxTokens; i++)
            {
                var probabilities = Sampler.Probabilities(logits, sampling);
                var next = sampling.Temperature == 0 || sampling.TopK == 1 ? Sampler.ArgMax(logits) : Sampler.Draw(probabilities, random);
                if (stopTokens?.Contains(next) == true) yield break;
                // The model's own map (temperature 1, nothing cut), not the sampler's: greedy would show 100% everywhere.
                var seen = alternatives is { } top
                    ? TokenAlternatives.From(sampling == Sampling.Default ? probabilities : Sampler.Probabilities(logits, Sampling.Default),
                        next, top, Tokenizer)
                    : null;
                yield return new Step(context.ToArray(), probabilities, next, seen);
                context.Add(next);
                if (i == maxTokens - 1) break;
                if (cache.Remaining == 0)
                {
                    cache.Reset();
                    logits = Prefill(context, cache);
                }
                else logits = Run([next], cache);
            }
        }
        finally { if (wasTraining) Model.train(); }
    }

    float[] Prefill(List<int> context, KvCache cache)
    {
        var start = Math.Max(0, context.Count - Model.Config.ContextLength);
        return Run(context.GetRange(start, context.Count - start), cache);
    }

    float[] Run(IReadOnlyList<int> tokens, KvCache cache)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = Model.Ids(tokens);
        using var input = tensor(ids, [1, ids.Length]);
        return Model.Forward(input, cache, lastOnly: true).reshape(-1).data<float>().ToArray();
    }

    /// <summary>Turns chosen ids into text pieces, holding back the bytes of a character not yet complete.</summary>
    IEnumerable<GeneratedToken> Texts(IEnumerable<Step> steps)
    {
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var chars = new char[64];
        foreach (var step in steps)
        {
            var bytes = Tokenizer.TokenBytes(step.Id);
            var needed = decoder.GetCharCount(bytes, 0, bytes.Length, flush: false);
            if (needed > chars.Length) chars = new char[needed * 2];
            var n = decoder.GetChars(bytes, 0, bytes.Length, chars, 0, flush: false);
            yield return new GeneratedToken(step.Id, new string(chars, 0, n), step.Probabilities[step.Id]) { Alternatives = step.Alternatives };
        }
    }
}

/// <summary>One turn of the inference loop: the map the model predicted and the token sampled from it.</summary>
public sealed record SamplingStep(int Number, ProbabilityMap Map, TokenProbability Chosen);
