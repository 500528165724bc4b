using System.Text;
using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Support;

/// <summary>Test-only tokenizer: one token per character of a fixed alphabet (ASCII only, so one byte each).</summary>
public sealed class CharTokenizer : ITokenizer
{
    readonly string alphabet;
    readonly Dictionary<char, int> ids;

    public CharTokenizer(string alphabet, string name = "chars")
    {
        this.alphabet = alphabet;
        ids = alphabet.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        Name = name;
    }

    /// <summary>Lowercase letters, space, full stop and newline: 29 tokens.</summary>
    public static CharTokenizer Lowercase { get; } = new("abcdefghijklmnopqrstuvwxyz .\n", "lowercase chars");

    public string Name { get; }
    public int VocabSize => alphabet.Length;
    public IReadOnlyList<int> Encode(string text) => text.Select(c => ids.TryGetValue(c, out var id) ? id
        : throw new ArgumentException($"'{c}' is not in the test alphabet.")).ToArray();
    public string Decode(IEnumerable<int> ids) => new(ids.Select(i => alphabet[i]).ToArray());
    public byte[] TokenBytes(int id) => Encoding.UTF8.GetBytes(alphabet[id].ToString());
}
