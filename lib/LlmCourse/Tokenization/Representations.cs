using System.Globalization;
using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>
/// One text as the 1-D sequences a model could read: characters, bits, bytes, tokens. Each step
/// trades a bigger alphabet (vocabulary) for a shorter sequence.
/// </summary>
public static class Representations
{
    /// <summary>A row: what the sequence is made of, how long it is, how many distinct symbols exist, how it starts.</summary>
    public sealed record Row(string Sequence, int Length, string Vocabulary, string Start);

    public static IReadOnlyList<Row> Of(string text, params ITokenizer[] tokenizers)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var rows = new List<Row>
        {
            new("Unicode characters", new StringInfo(text).LengthInTextElements, "about 150,000", Start(text.EnumerateRunes().Select(r => r.ToString()), "|")),
            new("bits (UTF-8)", bytes.Length * 8, "2", Start(bytes.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')), " ")),
            new("bytes (UTF-8)", bytes.Length, "256", Start(bytes.Select(b => b.ToString(CultureInfo.InvariantCulture)), " ")),
        };
        foreach (var t in tokenizers)
            rows.Add(new($"tokens: {t.Name}", t.Encode(text).Count, t.VocabSize.ToString("N0", CultureInfo.InvariantCulture),
                Start(t.Encode(text).Select(id => id.ToString(CultureInfo.InvariantCulture)), " ")));
        return rows;
    }

    static string Start(IEnumerable<string> items, string separator)
    {
        var list = items.Take(9).ToList();
        return string.Join(separator, list.Take(8)) + (list.Count > 8 ? separator + "…" : "");
    }
}
