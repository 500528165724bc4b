namespace LlmCourse.Tokenization;

/// <summary>
/// What every tokenizer in the course can do, ours and the real GPT ones, so a notebook cell can
/// compare them in one call: text to ids, ids to text, and the bytes behind each id.
/// </summary>
public interface ITokenizer
{
    /// <summary>A short name to show, e.g. "course BPE 4096" or "cl100k_base".</summary>
    string Name { get; }

    /// <summary>Number of distinct token ids, as the tokenizer itself reports it.</summary>
    int VocabSize { get; }

    IReadOnlyList<int> Encode(string text);

    string Decode(IEnumerable<int> ids);

    /// <summary>The raw bytes one token stands for (a token may be part of a UTF-8 character).</summary>
    byte[] TokenBytes(int id);
}
