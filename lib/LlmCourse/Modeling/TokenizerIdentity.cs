using System.Security.Cryptography;
using LlmCourse.Tokenization;

namespace LlmCourse.Modeling;

/// <summary>
/// Which tokenizer a model was trained with. A model only understands the ids of its own tokenizer:
/// the same text under another tokenizer is a different sequence of numbers, and the model would
/// read garbage. So a checkpoint records this and loading checks it.
/// </summary>
/// <param name="Name">The tokenizer's display name (informational).</param>
/// <param name="VocabSize">Its number of ids.</param>
/// <param name="Sha256">A hash of the bytes behind every id in order: equal exactly when every id means the same text.</param>
public sealed record TokenizerIdentity(string Name, int VocabSize, string Sha256)
{
    public static TokenizerIdentity Of(ITokenizer tokenizer)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        for (var id = 0; id < tokenizer.VocabSize; id++)
        {
            var bytes = tokenizer.TokenBytes(id);
            BitConverter.TryWriteBytes(length, bytes.Length);   // length-prefixed: ["ab","c"] != ["a","bc"]
            sha.AppendData(length);
            sha.AppendData(bytes);
        }
        return new(tokenizer.Name, tokenizer.VocabSize, Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant());
    }

    /// <summary>Same ids with the same meaning (the name may differ).</summary>
    public bool Matches(TokenizerIdentity other) => VocabSize == other.VocabSize && Sha256 == other.Sha256;

    public override string ToString() => $"'{Name}' ({VocabSize} tokens, sha256 {Sha256[..12]})";
}
