namespace LlmCourse.Tokenization;

/// <summary>
/// One step of BPE training: the adjacent pair <see cref="Left"/>, <see cref="Right"/> became the new
/// token <see cref="Id"/> (256, 257, ... in training order, so the id is also the merge's rank).
/// <see cref="Count"/> is how often the pair occurred when it was merged (0 when unknown).
/// </summary>
public sealed record Merge(int Left, int Right, int Id, long Count = 0)
{
    /// <summary>The merge's position in training order: step 0 created token 256.</summary>
    public int Step => Id - 256;
}
