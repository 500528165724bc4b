using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Training;

/// <summary>
/// Training examples cut from one long token stream. A window of ContextLength tokens is the input;
/// the same window shifted one token to the right is the target: at every position, the token that
/// actually came next. One window therefore holds ContextLength predictions to learn from.
/// </summary>
/// <remarks>
/// Batches are drawn at pseudo-random offsets computed from (seed, batch number) alone, so batch 1234
/// is the same whether a run got there in one go or was stopped and resumed — and two runs with the
/// same seed see the same data.
/// </remarks>
public sealed class TokenWindows : IBatchSource
{
    readonly ReadOnlyMemory<int> tokens;
    long[] inputBuffer = [];
    long[] targetBuffer = [];

    public TokenWindows(ReadOnlyMemory<int> tokens, int contextLength)
    {
        if (contextLength < 1) throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "A window holds at least one token.");
        if (tokens.Length < contextLength + 1)
            throw new ArgumentException(
                $"The token stream has {tokens.Length} tokens; a window of {contextLength} plus its next-token target needs at least {contextLength + 1}.",
                nameof(tokens));
        this.tokens = tokens;
        ContextLength = contextLength;
    }

    public int ContextLength { get; }

    /// <summary>The token stream the windows are cut from.</summary>
    public ReadOnlyMemory<int> Tokens => tokens;

    /// <summary>Tokens in the stream.</summary>
    public int TokenCount => tokens.Length;

    /// <summary>How many distinct windows (start offsets) the stream holds.</summary>
    public int Count => tokens.Length - ContextLength;

    /// <summary>The window starting at <paramref name="start"/>: its input tokens and, shifted by one, its targets.</summary>
    public (int[] Input, int[] Target) this[int start]
    {
        get
        {
            if ((uint)start >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(start), start, $"Windows start at 0..{Count - 1}.");
            var span = tokens.Span;
            return (span.Slice(start, ContextLength).ToArray(), span.Slice(start + 1, ContextLength).ToArray());
        }
    }

    /// <summary>
    /// Splits a stream in two at a token boundary: the first part to train on, the last
    /// <paramref name="validationFraction"/> held out to measure what the model learned rather than memorised.
    /// </summary>
    public static (TokenWindows Train, TokenWindows Validation) Split(ReadOnlyMemory<int> tokens, int contextLength, double validationFraction = 0.1)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The held-out fraction must be between 0 and 1.");
        var cut = (int)Math.Round(tokens.Length * (1 - validationFraction));
        return (new TokenWindows(tokens[..cut], contextLength), new TokenWindows(tokens[cut..], contextLength));
    }

    /// <summary>
    /// Batch number <paramref name="index"/> of a run seeded with <paramref name="seed"/>: input and
    /// target tensors of shape [batchSize, ContextLength] (int64 ids).
    /// </summary>
    public (Tensor Input, Tensor Target) Batch(int batchSize, long seed, long index)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one window.");
        var n = batchSize * ContextLength;
        if (inputBuffer.Length != n) { inputBuffer = new long[n]; targetBuffer = new long[n]; }
        var span = tokens.Span;
        for (var b = 0; b < batchSize; b++)
        {
            var start = (int)(Mix((ulong)seed, (ulong)index * (ulong)batchSize + (ulong)b) % (ulong)Count);
            for (var t = 0; t < ContextLength; t++)
            {
                inputBuffer[b * ContextLength + t] = span[start + t];
                targetBuffer[b * ContextLength + t] = span[start + t + 1];
            }
        }
        long[] shape = [batchSize, ContextLength];
        return (torch.tensor(inputBuffer, shape), torch.tensor(targetBuffer, shape));
    }

    /// <summary>SplitMix64 of (seed, counter): a fast, well-mixed hash, so offsets need no stored RNG state.</summary>
    static ulong Mix(ulong seed, ulong counter)
    {
        var z = seed * 0x9E3779B97F4A7C15UL + counter + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        // One more round over the counter so neighbouring (seed, counter) pairs do not correlate.
        z += counter * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
