using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Modeling;

/// <summary>
/// The keys and values every attention layer has already computed for the tokens seen so far.
/// Generating one token at a time, a new token only needs its own query, key and value: the keys and
/// values of the earlier tokens do not change (causal attention never looks ahead), so we keep them
/// instead of recomputing the whole window every step.
/// </summary>
/// <remarks>
/// The cached tensors live outside any dispose scope (a generation loop opens one per step); they are
/// freed when the cache is reset or disposed.
/// </remarks>
public sealed class KvCache : IDisposable
{
    readonly Tensor?[] keys;
    readonly Tensor?[] values;

    public KvCache(GptConfig config)
    {
        Config = config;
        keys = new Tensor?[config.Layers];
        values = new Tensor?[config.Layers];
    }

    public GptConfig Config { get; }

    /// <summary>How many positions are cached (the position the next token will take).</summary>
    public int Length { get; private set; }

    /// <summary>Room left before the model's context is full.</summary>
    public int Remaining => Config.ContextLength - Length;

    /// <summary>
    /// Appends this step's keys and values of one layer ([batch, heads, new, headSize]) and returns all
    /// of them so far. Called by each layer in turn; <see cref="Advance"/> then moves the position on.
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var oldK = keys[layer];
        var oldV = values[layer];
        var allK = oldK is null ? k.alias() : torch.cat([oldK, k], dim: 2);
        var allV = oldV is null ? v.alias() : torch.cat([oldV, v], dim: 2);
        // The stored copies outlive the caller's dispose scope; the returned ones belong to it.
        keys[layer] = allK.alias().DetachFromDisposeScope();
        values[layer] = allV.alias().DetachFromDisposeScope();
        oldK?.Dispose();
        oldV?.Dispose();
        return (allK, allV);
    }

    internal void Advance(int tokens) => Length += tokens;

    /// <summary>Forgets everything, e.g. to start a new prompt or to slide a full window.</summary>
    public void Reset()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
        Length = 0;
    }

    public void Dispose() => Reset();
}
