using System.Globalization;
using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>A text and the ids one tokenizer gives it, with the figures a viewer shows.</summary>
public sealed record TokenizedText(ITokenizer Tokenizer, string Text, IReadOnlyList<int> Ids)
{
    public int Tokens => Ids.Count;
    public int Chars => new StringInfo(Text).LengthInTextElements;
    public int Bytes => Encoding.UTF8.GetByteCount(Text);
    public double CharsPerToken => Tokens == 0 ? 0 : (double)Chars / Tokens;
    public double BytesPerToken => Tokens == 0 ? 0 : (double)Bytes / Tokens;

    /// <summary>The token strings, e.g. ["The", " capital", ...]; a token that is part of a character shows as &lt;f0 9f&gt;.</summary>
    public IReadOnlyList<string> TokenStrings => Pieces().SelectMany(p => p.Tokens.Select(t => t.Label)).ToList();

    public string Summary => $"{Tokenizer.Name}: {Tokens:N0} tokens, {Chars:N0} chars, {CharsPerToken:F2} chars/token";

    /// <summary>A run of tokens whose bytes together make whole characters (usually one token).</summary>
    public sealed record Piece(string Text, IReadOnlyList<(int Id, string Label, bool IsPart)> Tokens);

    public IEnumerable<Piece> Pieces()
    {
        var group = new List<(int Id, byte[] Bytes)>();
        foreach (var id in Ids)
        {
            group.Add((id, Tokenizer.TokenBytes(id)));
            var joined = group.SelectMany(g => g.Bytes).ToArray();
            if (TokenText.TryDecode(joined) is not { } text) continue;
            yield return group.Count == 1
                ? new Piece(text, [(id, text, false)])
                : new Piece(text, group.Select(g => (g.Id, "<" + string.Join(" ", g.Bytes.Select(b => b.ToString("x2"))) + ">", true)).ToList());
            group.Clear();
        }
        if (group.Count > 0)   // ids that end inside a character
            yield return new Piece("\uFFFD", group.Select(g => (g.Id, "<" + string.Join(" ", g.Bytes.Select(b => b.ToString("x2"))) + ">", true)).ToList());
    }

    public override string ToString() => Summary;
}

public static class TokenizerViewExtensions
{
    /// <summary><c>cl100k.View("hello world")</c>: the text as this tokenizer's coloured tokens.</summary>
    public static TokenViewer View(this ITokenizer tokenizer, string text) => new(text, tokenizer);

    /// <summary>The text with its ids and figures for this tokenizer.</summary>
    public static TokenizedText Tokenize(this ITokenizer tokenizer, string text) => new(tokenizer, text, tokenizer.Encode(text));
}
