using static TorchSharp.torch;

namespace LlmCourse.Training;

/// <summary>
/// Where a trainer's batches come from: windows cut from a token stream (pre-training, <see cref="TokenWindows"/>)
/// or packed conversations with a loss mask (fine-tuning, <see cref="ConversationBatches"/>).
/// </summary>
public interface IBatchSource
{
    /// <summary>Tokens per row of a batch.</summary>
    int ContextLength { get; }

    /// <summary>
    /// Batch number <paramref name="index"/> of a run seeded with <paramref name="seed"/>: input ids and target ids,
    /// both [batchSize, ContextLength]. A target of -100 is not learned from (the loss mask). The same arguments
    /// always give the same batch, so a stopped run resumes on the data it would have seen.
    /// </summary>
    (Tensor Input, Tensor Target) Batch(int batchSize, long seed, long index);
}
