using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Modeling;

/// <summary>
/// The keys and values of a batch of sequences, in memory allocated once: per layer a
/// [batch, heads, capacity, headSize] tensor for keys and one for values. Each step writes its new
/// keys and values into the next free slots and attention reads the filled prefix, so nothing is
/// concatenated (and copied) as the sequences grow — what <see cref="KvCache"/> does, fine for one
/// sequence, costly for many.
/// </summary>
/// <remarks>
/// Slot s of every row is filled in the same step, so all rows share one <see cref="Length"/>. Rows
/// whose prompts are shorter start with padding slots, which attention masks out (see
/// <see cref="Gpt.Forward(Tensor, Tensor, BatchKvCache, Tensor?)"/>).
/// The tensors live outside any dispose scope (a generation loop opens one per step); they are freed
/// when the cache is disposed.
/// </remarks>
public sealed class BatchKvCache : IDisposable
{
    Tensor[] keys;
    Tensor[] values;

    /// <param name="config">The model the cache serves (layers, heads, head size).</param>
    /// <param name="batch">How many sequences (rows).</param>
    /// <param name="capacity">Slots per row: the most tokens any row will be fed, padding included.</param>
    public BatchKvCache(GptConfig config, int batch, int capacity)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "A batch holds at least one row.");
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The cache needs at least one slot.");
        Config = config;
        Capacity = capacity;
        keys = Allocate(config, batch, capacity);
        values = Allocate(config, batch, capacity);
    }

    BatchKvCache(GptConfig config, int capacity, int length, Tensor[] keys, Tensor[] values)
    {
        Config = config;
        Capacity = capacity;
        Length = length;
        this.keys = keys;
        this.values = values;
    }

    static Tensor[] Allocate(GptConfig config, int batch, int capacity) =>
        Enumerable.Range(0, config.Layers)
            // empty, not zeros: a slot is always written before it is read (or masked out).
            .Select(_ => empty(batch, config.Heads, capacity, config.HeadSize).DetachFromDisposeScope())
            .ToArray();

    public GptConfig Config { get; }

    /// <summary>Rows in the batch.</summary>
    public int Batch => (int)keys[0].shape[0];

    /// <summary>Slots per row.</summary>
    public int Capacity { get; }

    /// <summary>Slots filled so far (the slot the next token is written to).</summary>
    public int Length { get; private set; }

    /// <summary>
    /// Writes this step's keys and values of one layer ([batch, heads, new, headSize]) into the next free
    /// slots and returns views of every filled slot, these included. Called by each layer in turn;
    /// <see cref="Advance"/> then moves the slot on.
    /// </summary>
    internal (Tensor Keys, Tensor Values) Write(int layer, Tensor k, Tensor v)
    {
        var count = k.shape[2];
        if (Length + count > Capacity)
            throw new InvalidOperationException($"The cache has {Capacity} slots per row; {Length} are filled and {count} more do not fit.");
        keys[layer].narrow(2, Length, count).copy_(k);
        values[layer].narrow(2, Length, count).copy_(v);
        return (keys[layer].narrow(2, 0, Length + count), values[layer].narrow(2, 0, Length + count));
    }

    internal void Advance(int tokens) => Length += tokens;

    /// <summary>
    /// Keeps only <paramref name="rows"/> (int64 row indices, in their new order), e.g. to drop
    /// sequences that have finished so later steps do no work for them. Copies the filled slots.
    /// </summary>
    public void KeepRows(Tensor rows) => Replace(
        keys.Select(t => Gather(t, rows)).ToArray(),
        values.Select(t => Gather(t, rows)).ToArray());

    /// <summary>
    /// A cache of <c>Batch x times</c> rows, each row repeated <paramref name="times"/> times in a row
    /// (row r becomes rows r·times .. r·times + times - 1): one prompt's keys and values, computed once,
    /// serve every sample drawn from it.
    /// </summary>
    public BatchKvCache RepeatRows(int times)
    {
        if (times < 1) throw new ArgumentOutOfRangeException(nameof(times), times, "Repeat each row at least once.");
        using var scope = NewDisposeScope();
        using var rows = arange(Batch, dtype: ScalarType.Int64).repeat_interleave(times);
        return new BatchKvCache(Config, Capacity, Length,
            keys.Select(t => Gather(t, rows)).ToArray(),
            values.Select(t => Gather(t, rows)).ToArray());
    }

    /// <summary>A new full-capacity tensor holding <paramref name="rows"/> of <paramref name="source"/>; only filled slots are copied.</summary>
    Tensor Gather(Tensor source, Tensor rows)
    {
        using var scope = NewDisposeScope();
        var target = empty(rows.shape[0], source.shape[1], Capacity, source.shape[3]);
        if (Length > 0) target.narrow(2, 0, Length).copy_(source.narrow(2, 0, Length).index_select(0, rows));
        return target.DetachFromDisposeScope();
    }

    void Replace(Tensor[] newKeys, Tensor[] newValues)
    {
        foreach (var t in keys.Concat(values)) t.Dispose();
        keys = newKeys;
        values = newValues;
    }

    public void Dispose()
    {
        foreach (var t in keys.Concat(values)) t.Dispose();
    }
}
