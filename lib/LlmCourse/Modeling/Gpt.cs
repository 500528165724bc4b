using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// A GPT, shaped like GPT-2 and nanoGPT: a window of token ids goes in, and for every position a
/// score (logit) for every token in the vocabulary comes out — softmax turns the last position's
/// scores into the probability map of the next token.
/// </summary>
/// <remarks>
/// tokens -> token embedding + position embedding -> N blocks (attention + MLP) -> LayerNorm
///        -> dot product with every token embedding -> logits.
/// The output head reuses the token embedding matrix ("weight tying"): the vector that represents
/// a token on the way in is the one matched against on the way out. It saves VocabSize x Width
/// parameters and trains better on small data.
/// The config can swap in the newer recipe of nanochat and modded-nanogpt, piece by piece: rotary
/// positions (no position table; attention turns queries and keys instead), RMSNorm, QK-norm, ReLU²
/// in the MLP, and a head of its own (lm_head) instead of the tied one.
/// </remarks>
public sealed class Gpt : Module<Tensor, Tensor>
{
    readonly Embedding wte;              // token id -> vector
    readonly Embedding? wpe;             // position -> vector (learned, one row per position); null with rotary
    readonly ModuleList<Block> h;
    readonly Module<Tensor, Tensor> ln_f;
    readonly Linear? lm_head;            // vector -> a score per token; null when tied to wte

    /// <param name="config">The shape to build.</param>
    /// <param name="seed">Seeds the initial weights: the same seed builds the same model.</param>
    public Gpt(GptConfig config, long seed = 1337) : base(nameof(Gpt))
    {
        Config = config.Validate();
        wte = Embedding(config.VocabSize, config.Width);
        // (A null module field is simply not registered: a rotary model has no wpe parameters at all.)
        if (config.Positions == PositionEncoding.Learned) wpe = Embedding(config.ContextLength, config.Width);
        // One set of rotary tables, shared by every layer's attention.
        var rotary = config.Positions == PositionEncoding.Rotary ? new RotaryEmbedding(config.ContextLength, config.HeadSize) : null;
        h = new ModuleList<Block>(Enumerable.Range(0, config.Layers).Select(_ => new Block(config, rotary)).ToArray());
        ln_f = Block.Norm(config);
        if (!config.TiedHead) lm_head = Linear(config.Width, config.VocabSize, hasBias: false);
        RegisterComponents();
        Initialise(seed);
    }

    public GptConfig Config { get; }

    /// <summary>Every trainable number, the tied embedding counted once.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Parameters that do work per token in the matrix products, as nanoGPT counts them for the FLOP
    /// estimate: all but the lookups. The position table is a lookup; the token table is one too, unless
    /// it is also the output head (tied), where it does a matrix product per token.
    /// </summary>
    public long NonEmbeddingParameterCount =>
        ParameterCount - (wpe?.weight!.numel() ?? 0) - (lm_head is null ? 0 : wte.weight!.numel());

    /// <summary>The token embedding matrix [VocabSize, Width] (also the output head, when tied).</summary>
    public Parameter TokenEmbedding => wte.weight!;

    /// <summary>Whether the model adds a learned position table to its input (false: rotary positions).</summary>
    public bool HasPositionTable => wpe is not null;

    /// <summary>The position embedding matrix [ContextLength, Width]: row t is added to the token at position t.</summary>
    public Parameter PositionEmbedding => wpe?.weight ?? throw new InvalidOperationException(
        $"This model has rotary positions ({Config}): it has no position table; attention turns queries and keys by position instead.");

    /// <summary>The output head [VocabSize, Width]: the token embedding when tied, lm_head's weight when not.</summary>
    public Parameter OutputHead => lm_head?.weight ?? wte.weight!;

    /// <summary>The norm (LayerNorm or RMSNorm) after the last block, before the output head.</summary>
    public Module<Tensor, Tensor> FinalNorm => ln_f;

    /// <summary>The blocks, first to last.</summary>
    public IReadOnlyList<Block> Blocks => h.ToList();

    /// <summary>
    /// Fused attention kernel (default, fast) or the written-out path (readable). Both compute the same
    /// function; the tests hold them to agree.
    /// </summary>
    public bool UseFusedAttention
    {
        get => h.All(b => b.Attention.UseFused);
        set { foreach (var b in h) b.Attention.UseFused = value; }
    }

    /// <summary>
    /// GPT-2's initialisation: weights from N(0, 0.02), biases 0, LayerNorm gains 1. An untied head starts
    /// near 0 (N(0, 0.001), as nanochat): every token equally likely, the loss at its ln(VocabSize) ceiling.
    /// (Tensor.normal_ with our generator: TorchSharp 0.107's init.normal_ ignores its generator argument.)
    /// </summary>
    void Initialise(long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("bias")) p.zero_();
            else if (name.StartsWith("ln_") || name.Contains(".ln_")) p.fill_(1.0);    // LayerNorm gain
            else if (name == "lm_head.weight") p.normal_(0.0, 0.001, generator);
            else if (name.EndsWith("c_proj.weight"))
                // Each block adds two projections onto the residual stream; scaling them by
                // 1/sqrt(2 x layers) keeps the stream's variance from growing with depth.
                p.normal_(0.0, 0.02 / Math.Sqrt(2 * Config.Layers), generator);
            else p.normal_(0.0, 0.02, generator);                                     // linear weights, embeddings
        }
    }

    /// <summary>tokens [batch, T] (int64 ids, T &lt;= ContextLength) -> logits [batch, T, VocabSize].</summary>
    public override Tensor forward(Tensor tokens) => Forward(tokens, cache: null);

    /// <summary>
    /// With a cache, tokens are only the new ones; they take the positions after the cached ones and
    /// the cache grows by their number.
    /// </summary>
    public Tensor Forward(Tensor tokens, KvCache? cache, List<Tensor>? attentionWeights = null, bool lastOnly = false)
    {
        var length = (int)tokens.shape[1];
        var start = cache?.Length ?? 0;
        if (start + length > Config.ContextLength)
            throw new ArgumentException(
                $"{start + length} tokens do not fit the model's context of {Config.ContextLength}; crop the window (or reset the cache) first.",
                nameof(tokens));

        using var positions = arange(start, start + length, dtype: ScalarType.Int64);
        var x = Embed(tokens, positions);
        if (Config.Dropout > 0 && training) x = functional.dropout(x, Config.Dropout, training);
        for (var i = 0; i < h.Count; i++)
            x = h[i].Forward(x, positions, cache, i, attentionWeights);
        cache?.Advance(length);

        // Generating needs only the last position's scores: skip the head's matrix product for the rest.
        if (lastOnly) x = x[.., ^1.., ..];
        return Head(ln_f.forward(x));
    }

    /// <summary>
    /// The residual stream's start: what each token is, plus where it is from the position table. With
    /// rotary positions "where" enters inside attention instead, so this is the token embedding alone.
    /// </summary>
    Tensor Embed(Tensor tokens, Tensor positions) =>
        wpe is null ? wte.forward(tokens) : wte.forward(tokens) + wpe.forward(positions);

    /// <summary>
    /// Scores for every token: the tied head is a dot product of each output vector with every token's
    /// embedding; an untied head is its own matrix.
    /// </summary>
    Tensor Head(Tensor x) => lm_head is null ? functional.linear(x, wte.weight!) : lm_head.forward(x);

    /// <summary>
    /// The last hidden states [batch, T, Width] of tokens [batch, T] at positions 0..T-1, after the final
    /// norm and before the head: what a reward model (a GPT with another head) reads.
    /// </summary>
    public Tensor Hidden(Tensor tokens)
    {
        using var positions = arange(tokens.shape[1], dtype: ScalarType.Int64);
        var x = Embed(tokens, positions);
        for (var i = 0; i < h.Count; i++) x = h[i].Forward(x, positions, cache: (KvCache?)null, i, null);
        return ln_f.forward(x);
    }

    /// <summary>
    /// Inference over a batch of sequences that share a preallocated cache: feeds each row's next
    /// tokens and returns the scores of the token after each row's last one, [batch, VocabSize].
    /// </summary>
    /// <param name="tokens">[batch, T] int64: the new tokens of every row (padding included).</param>
    /// <param name="positions">
    /// [batch, T] int64: each token's position in its own sequence. Rows of a batch may be at different
    /// positions in the same slot (a left-padded shorter prompt starts later), and the position table
    /// must see each sequence count from 0 at its first real token, as in training.
    /// </param>
    /// <param name="cache">Receives the new keys and values in its next T slots.</param>
    /// <param name="attentionMask">
    /// [batch, 1, T, cache.Length + T] booleans, true where a query may attend to a slot: causal, and
    /// never to padding. Null lets every new token see every filled slot (one token per row, no padding).
    /// </param>
    public Tensor Forward(Tensor tokens, Tensor positions, BatchKvCache cache, Tensor? attentionMask)
    {
        var length = (int)tokens.shape[1];
        var x = Embed(tokens, positions);
        for (var i = 0; i < h.Count; i++)
            x = h[i].Forward(x, positions, cache, i, attentionMask);
        cache.Advance(length);
        if (length > 1) x = x[.., -1];
        else x = x.squeeze(1);
        return Head(ln_f.forward(x));
    }

    /// <summary>
    /// Mean next-token cross-entropy: for every position, -log of the probability the model gave the
    /// token that actually came next. Targets of -100 are ignored (e.g. prompt tokens in SFT).
    /// </summary>
    public Tensor Loss(Tensor tokens, Tensor targets)
    {
        var logits = forward(tokens);
        return functional.cross_entropy(logits.view(-1, Config.VocabSize), targets.view(-1), ignore_index: -100);
    }

    /// <summary>
    /// The scores of the token that comes after <paramref name="context"/> (its last ContextLength
    /// tokens), as plain numbers: softmax them for the probability map.
    /// </summary>
    public float[] NextTokenLogits(IReadOnlyList<int> context)
    {
        var window = Window(context);
        return Evaluating(() =>
        {
            using var scope = NewDisposeScope();
            using var input = tensor(window, dtype: ScalarType.Int64).unsqueeze(0);
            return Forward(input, null, lastOnly: true).reshape(-1).data<float>().ToArray();
        });
    }

    /// <summary>
    /// Who attends to whom: the attention weights of every layer and head for one window (its last
    /// ContextLength tokens), from the written-out path.
    /// </summary>
    public AttentionWeights Attention(IReadOnlyList<int> context)
    {
        var window = Window(context);
        return Evaluating(() =>
        {
            using var scope = NewDisposeScope();
            var captured = new List<Tensor>();
            using var input = tensor(window, dtype: ScalarType.Int64).unsqueeze(0);
            Forward(input, null, captured);
            var maps = captured.Select(w => w[0].contiguous().data<float>().ToArray()).ToArray();
            return new AttentionWeights(window.Select(t => (int)t).ToArray(), Config.Heads, maps);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> as inference: evaluation mode (no dropout) and no gradients, then puts
    /// the model back in training mode if it was training (a notebook samples in the middle of training).
    /// </summary>
    public T Evaluating<T>(Func<T> work)
    {
        var wasTraining = training;
        eval();
        try
        {
            using var _ = no_grad();
            return work();
        }
        finally { if (wasTraining) train(); }
    }

    /// <summary>Token ids as the model's input, checked against the vocabulary.</summary>
    internal long[] Ids(IReadOnlyList<int> tokens, int start = 0)
    {
        var ids = new long[tokens.Count - start];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = tokens[start + i];
            if ((uint)id >= (uint)Config.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Token id {id} is outside the model's vocabulary (0..{Config.VocabSize - 1}).");
            ids[i] = id;
        }
        return ids;
    }

    long[] Window(IReadOnlyList<int> context)
    {
        if (context.Count == 0) throw new ArgumentException("The context must hold at least one token.", nameof(context));
        return Ids(context, Math.Max(0, context.Count - Config.ContextLength));
    }

    public override string ToString() => $"{Config}: {ParameterCount:N0} parameters";
}

/// <summary>Attention weights of one window: for each layer and head, a [query, key] matrix whose rows sum to 1.</summary>
public sealed class AttentionWeights(int[] tokens, int heads, float[][] layers)
{
    /// <summary>The window's token ids.</summary>
    public IReadOnlyList<int> Tokens { get; } = tokens;
    public int Layers => layers.Length;
    public int Heads { get; } = heads;

    /// <summary>How much the token at <paramref name="query"/> attends to the one at <paramref name="key"/>.</summary>
    public float this[int layer, int head, int query, int key]
    {
        get
        {
            var n = Tokens.Count;
            if ((uint)layer >= (uint)Layers) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The model has layers 0..{Layers - 1}.");
            if ((uint)head >= (uint)Heads) throw new ArgumentOutOfRangeException(nameof(head), head, $"Each layer has heads 0..{Heads - 1}.");
            return layers[layer][(head * n + query) * n + key];
        }
    }

    /// <summary>The [query, key] matrix of one head of one layer.</summary>
    public float[,] Map(int layer, int head)
    {
        var n = Tokens.Count;
        var map = new float[n, n];
        for (var q = 0; q < n; q++)
            for (var k = 0; k < n; k++)
                map[q, k] = this[layer, head, q, k];
        return map;
    }
}
