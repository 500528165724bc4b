using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Modeling;

/// <summary>
/// Rotary position embeddings (RoPE, Su et al. 2021): instead of adding a learned "where" vector to
/// each token, turn every head's query and key by an angle that grows with the token's position.
/// A query at position m and a key at position n then score q·R(m)ᵀR(n)·k = q·R(n - m)·k: the score
/// depends on how far apart they are, not on where they sit. That is the shape of an induction head
/// ("find the earlier copy of my token, look one step after it"), and it needs no table to learn.
/// </summary>
/// <remarks>
/// The head's numbers go in pairs (i, i + headSize/2), "first half with second half" as in GPT-NeoX,
/// Llama and nanochat. Pair i turns by position·θ_i with θ_i = Base^(-2i/headSize): the first pairs
/// spin fast (fine position), the last ones slowly (coarse position).
/// The cos/sin tables are plain tensors held here, not module buffers: they follow from the config
/// alone, so a checkpoint does not carry them (checkpoints list named parameters) and nothing saves
/// or loads them by accident.
/// </remarks>
public sealed class RotaryEmbedding
{
    /// <summary>The base of the angle frequencies (RoFormer's and GPT-NeoX's 10,000).</summary>
    public const double Base = 10_000;

    readonly Tensor cos;   // [ContextLength, headSize / 2]: cos(position · θ_i)
    readonly Tensor sin;

    public RotaryEmbedding(int contextLength, int headSize)
    {
        if (headSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(headSize), headSize, "Rotary positions need an even head size.");
        using var scope = NewDisposeScope();
        var theta = pow(Base, -arange(0, headSize, 2, dtype: ScalarType.Float64) / headSize);   // [headSize / 2]
        var angles = outer(arange(contextLength, dtype: ScalarType.Float64), theta);          // [T, headSize / 2]
        // Outlive the scope (and any scope the model is built in): the tables live as long as the model.
        cos = angles.cos().to(ScalarType.Float32).DetachFromDisposeScope();
        sin = angles.sin().to(ScalarType.Float32).DetachFromDisposeScope();
    }

    /// <summary>
    /// Turns x [batch, heads, T, headSize] to its positions: [T] (every row at the same positions) or
    /// [batch, T] (each row its own, as when left-padded rows generate together).
    /// </summary>
    public Tensor Apply(Tensor x, Tensor positions)
    {
        var half = x.shape[3] / 2;
        var flat = positions.reshape(-1);
        var shape = positions.dim() == 1
            ? new long[] { positions.shape[0], half }                     // broadcasts over batch and heads
            : new long[] { positions.shape[0], 1, positions.shape[1], half };  // one per row, broadcast over heads
        var c = cos.index_select(0, flat).view(shape);
        var s = sin.index_select(0, flat).view(shape);
        var x1 = x[.., .., .., ..(int)half];
        var x2 = x[.., .., .., (int)half..];
        // A 2-D rotation of every pair (x1, x2) by its angle.
        return cat([x1 * c - x2 * s, x1 * s + x2 * c], dim: 3);
    }
}
