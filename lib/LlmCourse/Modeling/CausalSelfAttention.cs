using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// Multi-head causal self-attention: every token looks back over the tokens before it (never ahead)
/// and takes a weighted mix of what they carry. This is the only place in a GPT where tokens talk
/// to each other; everything else works on each position alone.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    // One linear layer makes query, key and value for every head at once (3 x width outputs):
    // one big matrix product is faster than three small ones.
    readonly Linear c_attn;
    // Mixes the heads' outputs back into the residual stream.
    readonly Linear c_proj;

    readonly int heads;
    readonly int headSize;
    readonly double dropout;
    // Rotary positions turn queries and keys (null: the model adds a position table to its input instead).
    readonly RotaryEmbedding? rotary;
    readonly bool qkNorm;

    /// <summary>
    /// With QK-norm every query and key has length sqrt(headSize), so a score q·k/sqrt(headSize) can be at
    /// most sqrt(headSize) (5.7 for heads of 32): too soft to attend sharply to one token. nanochat scales
    /// both by 1.2 (scores by 1.44); a fixed factor, not learned.
    /// </summary>
    public const double QkNormScale = 1.2;

    /// <param name="rotary">The model's rotary tables, shared by every layer (null for a learned position table).</param>
    public CausalSelfAttention(GptConfig config, RotaryEmbedding? rotary = null) : base(nameof(CausalSelfAttention))
    {
        c_attn = Linear(config.Width, 3 * config.Width, hasBias: config.Bias);
        c_proj = Linear(config.Width, config.Width, hasBias: config.Bias);
        heads = config.Heads;
        headSize = config.HeadSize;
        dropout = config.Dropout;
        if (config.Positions == PositionEncoding.Rotary)
            this.rotary = rotary ?? new RotaryEmbedding(config.ContextLength, config.HeadSize);
        qkNorm = config.QkNorm;
        RegisterComponents();
    }

    /// <summary>The layer that makes every head's query, key and value at once (3 × Width outputs, in that order).</summary>
    public Linear QueryKeyValue => c_attn;

    /// <summary>The layer that mixes the heads' outputs back into the residual stream.</summary>
    public Linear OutputProjection => c_proj;

    /// <summary>
    /// True (the default): the fused kernel <c>scaled_dot_product_attention</c>, which computes the
    /// same thing as <see cref="WrittenOut"/> without materialising the T x T score matrix.
    /// False: the written-out path, step by step, as a learner reads it.
    /// </summary>
    public bool UseFused { get; set; } = true;

    public override Tensor forward(Tensor x)
    {
        using var positions = arange(x.shape[1], dtype: ScalarType.Int64);
        return Forward(x, positions, cache: null, layer: 0, weights: null);
    }

    /// <summary>
    /// x: [batch, tokens, width] at <paramref name="positions"/> ([tokens] int64). With a cache, x holds
    /// only the new tokens and attends to the cached ones too. With a weights list, the attention weights
    /// [batch, heads, tokens, keys] are added to it (this forces the written-out path: the fused kernel
    /// never forms them).
    /// </summary>
    public Tensor Forward(Tensor x, Tensor positions, KvCache? cache, int layer, List<Tensor>? weights)
    {
        var (q, k, v) = QueryKeyValueHeads(x, positions);
        var tokens = x.shape[1];

        // Generating: earlier tokens' keys and values come from the cache, not from recomputation.
        var pastLength = cache?.Length ?? 0;
        if (cache is not null) (k, v) = cache.Append(layer, k, v);

        var p = training ? dropout : 0.0;
        Tensor y;
        if (weights is null && UseFused)
        {
            // The fused kernel's causal flag masks as if queries and keys start at the same position,
            // which holds when nothing is cached. One new token after a cache may see every key, so no
            // mask at all. Several new tokens after a cache need the offset mask spelled out.
            if (pastLength == 0)
                y = functional.scaled_dot_product_attention(q, k, v, p: p, is_casual: true);
            else if (tokens == 1)
                y = functional.scaled_dot_product_attention(q, k, v, p: p);
            else
                y = functional.scaled_dot_product_attention(q, k, v, attn_mask: Allowed(tokens, k.shape[2]), p: p);
        }
        else
        {
            y = WrittenOut(q, k, v, p, weights);
        }

        y = c_proj.forward(MergeHeads(y));
        return p > 0 ? functional.dropout(y, p, training) : y;
    }

    /// <summary>
    /// Inference over a batch of sequences with a preallocated cache: x holds each row's new tokens
    /// [batch, tokens, width]; their keys and values go into the cache's next slots, and each query
    /// attends over the filled slots where <paramref name="mask"/> ([batch, 1, tokens, filled] booleans,
    /// true where a query may attend) allows. Without a mask every filled slot is visible, which is
    /// right for one new token per row when no row has padding.
    /// </summary>
    internal Tensor Forward(Tensor x, Tensor positions, BatchKvCache cache, int layer, Tensor? mask)
    {
        var (q, k, v) = QueryKeyValueHeads(x, positions);
        (k, v) = cache.Write(layer, k, v);
        var y = functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        return c_proj.forward(MergeHeads(y));
    }

    /// <summary>
    /// Each token's query, key and value, split into heads: three [batch, heads, tokens, headSize]; with
    /// rotary positions, q and k turned to their <paramref name="positions"/> ([tokens] or [batch, tokens]).
    /// </summary>
    (Tensor Q, Tensor K, Tensor V) QueryKeyValueHeads(Tensor x, Tensor positions)
    {
        var (batch, tokens) = (x.shape[0], x.shape[1]);

        // Query: what this token is looking for. Key: what it offers. Value: what it passes on.
        // Split the 3 x width outputs into q, k, v and each into heads, as views of one tensor:
        // [batch, tokens, 3 x width] -> [3, batch, heads, tokens, headSize]. (Three ops where splitting
        // and reshaping q, k and v one by one takes seven: at batch 1 the per-op cost is what counts.)
        var qkv = c_attn.forward(x).view(batch, tokens, 3, heads, headSize).permute(2, 0, 3, 1, 4).unbind(0);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);

        // Turned to their positions before they are cached, so a cached key keeps the angle of the position
        // it was computed at.
        return (Position(q, positions), Position(k, positions), v);
    }

    /// <summary>
    /// What happens to every query and key [batch, heads, tokens, headSize] before they are compared: with rotary
    /// positions, turned by an angle that grows with its position; with QK-norm, then scaled to a fixed length.
    /// </summary>
    public Tensor Position(Tensor queryOrKey, Tensor positions)
    {
        var x = rotary is null ? queryOrKey : rotary.Apply(queryOrKey, positions);
        // QK-norm after the rotation, as nanochat. (The order does not matter here: a rotation keeps a vector's
        // length, and a gainless RMSNorm only divides by it.)
        return qkNorm ? RmsNorm.Normalize(x) * QkNormScale : x;
    }

    /// <summary>Heads side by side again: [batch, heads, tokens, headSize] -> [batch, tokens, width].</summary>
    Tensor MergeHeads(Tensor y)
    {
        var (batch, tokens) = (y.shape[0], y.shape[2]);
        return y.transpose(1, 2).reshape(batch, tokens, heads * headSize);   // copies only if it must
    }

    /// <summary>Attention step by step: scores, causal mask, softmax, weighted sum of values.</summary>
    static Tensor WrittenOut(Tensor q, Tensor k, Tensor v, double p, List<Tensor>? weights)
    {
        long queries = q.shape[2], keys = k.shape[2], headSize = q.shape[3];

        // 1. Scores: how well each query matches each key, a dot product. Dividing by sqrt(headSize)
        //    keeps their spread near 1 whatever the head size, so softmax does not saturate at init.
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(headSize);          // [B, H, Tq, Tk]

        // 2. Causal mask: a token may not look at tokens after it. Setting those scores to -infinity
        //    makes their weight exactly 0 after softmax.
        scores = scores.masked_fill(Allowed(queries, keys).logical_not(), double.NegativeInfinity);

        // 3. Softmax along the keys: each query's weights are positive and sum to 1.
        var attention = scores.softmax(-1);
        weights?.Add(attention);
        if (p > 0) attention = functional.dropout(attention, p, training: true);

        // 4. Each query's output is the weighted average of the values it attends to.
        return attention.matmul(v);                                                 // [B, H, Tq, headSize]
    }

    /// <summary>
    /// [queries, keys] booleans, true where a query may attend. The queries are the last `queries`
    /// positions of the `keys` seen so far, so query i sits at position keys - queries + i.
    /// </summary>
    static Tensor Allowed(long queries, long keys) =>
        torch.ones(queries, keys, dtype: ScalarType.Bool).tril(diagonal: keys - queries);
}
