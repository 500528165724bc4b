using LlmCourse.Chat;
using LlmCourse.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Training;

/// <summary>
/// Fine-tuning batches: rendered conversations packed into rows of ContextLength + 1 tokens, never split across
/// rows, the rest of a row padded. Each row gives an input (all but its last token) and a target (all but its
/// first), where every target the loss mask does not train — the user's words, padding — is -100, which the loss
/// ignores. Mean cross-entropy over what is left is the SFT loss: the model learns to write the assistant's
/// tokens, and only those.
/// </summary>
/// <remarks>
/// Packing several short conversations into one row wastes no compute on padding; each conversation starts with
/// &lt;|endoftext|&gt;, which the base model already reads as "a new document starts here".
/// </remarks>
public sealed class ConversationBatches : IBatchSource
{
    public const int Ignore = -100;

    readonly List<(int[] Tokens, bool[] Trained)> rows = [];
    readonly Dictionary<long, int[]> orders = [];

    /// <param name="conversations">Rendered conversations, in the order to pack them (shuffle first).</param>
    /// <param name="contextLength">The model's context: rows hold this many input tokens.</param>
    /// <param name="padId">The id that fills the end of a row (never trained).</param>
    public ConversationBatches(IEnumerable<RenderedConversation> conversations, int contextLength, int padId)
    {
        ContextLength = contextLength;
        var rowLength = contextLength + 1;
        var tokens = new List<int>(rowLength);
        var trained = new List<bool>(rowLength);
        void Close()
        {
            if (tokens.Count == 0) return;
            while (tokens.Count < rowLength) { tokens.Add(padId); trained.Add(false); }
            rows.Add((tokens.ToArray(), trained.ToArray()));
            tokens.Clear();
            trained.Clear();
        }
        var number = 0;
        foreach (var c in conversations)
        {
            number++;
            if (c.Tokens.Count > rowLength)
                throw new ArgumentException($"Conversation {number} has {c.Tokens.Count} tokens; rows hold {rowLength} (the model's context + 1). Shorten it.", nameof(conversations));
            if (tokens.Count + c.Tokens.Count > rowLength) Close();
            tokens.AddRange(c.Tokens);
            trained.AddRange(c.Trained);
            TrainedTokens += c.TrainedCount;
            Conversations++;
        }
        Close();
        if (rows.Count == 0) throw new ArgumentException("No conversations to train on.", nameof(conversations));
    }

    public int ContextLength { get; }

    /// <summary>Packed rows (one pass over the data is Rows / batch size steps).</summary>
    public int Rows => rows.Count;
    public int Conversations { get; }
    /// <summary>Tokens the loss trains (the assistant's), out of Rows × ContextLength read.</summary>
    public long TrainedTokens { get; }

    /// <summary>One packed row: its tokens and which of them are trained (for views and tests).</summary>
    public (IReadOnlyList<int> Tokens, IReadOnlyList<bool> Trained) Row(int index) => rows[index];

    /// <summary>
    /// Batch <paramref name="index"/>: rows in a fresh random order every pass over the data, the order a pure
    /// function of (seed, pass), so a resumed run sees the same batches.
    /// </summary>
    public (Tensor Input, Tensor Target) Batch(int batchSize, long seed, long index)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one row.");
        var input = new long[batchSize * ContextLength];
        var target = new long[batchSize * ContextLength];
        var learned = 0;
        for (var b = 0; b < batchSize; b++)
        {
            var k = index * batchSize + b;
            var (row, mask) = rows[Order(seed, k / rows.Count)[(int)(k % rows.Count)]];
            for (var t = 0; t < ContextLength; t++)
            {
                input[b * ContextLength + t] = row[t];
                var trainedNext = mask[t + 1];
                target[b * ContextLength + t] = trainedNext ? row[t + 1] : Ignore;
                if (trainedNext) learned++;
            }
        }
        // A batch whose mask is all zero has no loss to average: cross-entropy would divide 0 by 0 (NaN).
        if (learned == 0)
            throw new InvalidOperationException($"Batch {index} has no token to learn from (its loss mask is all zero); the loss would be NaN.");
        long[] shape = [batchSize, ContextLength];
        return (torch.tensor(input, shape), torch.tensor(target, shape));
    }

    int[] Order(long seed, long pass)
    {
        var key = seed * 1_000_003 + pass;
        if (orders.TryGetValue(key, out var order)) return order;
        order = Enumerable.Range(0, rows.Count).ToArray();
        Rng.For((ulong)seed, (ulong)pass).Shuffle(order);
        if (orders.Count > 64) orders.Clear();
        return orders[key] = order;
    }
}
