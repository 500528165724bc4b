using System.Text.RegularExpressions;

namespace LlmCourse.Tokenization;

/// <summary>
/// The regular expressions GPT tokenizers use to cut text into chunks before BPE ("pre-tokenization").
/// Merges never cross a chunk boundary, so a word never fuses with the space after it or with a
/// digit or punctuation next to it. tiktoken writes these with possessive quantifiers (`?+`, `++`);
/// .NET regex has none, so the same meaning is spelled with atomic groups `(?>...)`.
/// </summary>
public static class SplitPatterns
{
    /// <summary>No split: the whole text is one chunk (minbpe's "basic" tokenizer).</summary>
    public const string None = "";

    /// <summary>GPT-2's pattern: contractions, optional space + letters / digits / other, whitespace.</summary>
    public const string Gpt2 = @"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>
    /// GPT-4's pattern (cl100k_base): case-insensitive contractions, a letter run with at most one
    /// leading non-letter, numbers in groups of at most 3 digits, punctuation runs, newlines, spaces.
    /// </summary>
    public const string Gpt4 =
        @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)\p{L}+|\p{N}{1,3}| ?(?>[^\s\p{L}\p{N}]+)[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    /// <summary>GPT-4o's pattern (o200k_base): like GPT-4's, but splits CamelCase words and keeps "/" with punctuation.</summary>
    public const string Gpt4o =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The chunks of <paramref name="text"/> under <paramref name="pattern"/>, in order; they concatenate back to the text.</summary>
    public static IEnumerable<string> Split(string text, string pattern)
    {
        if (text.Length == 0) yield break;
        if (pattern.Length == 0) { yield return text; yield break; }
        foreach (Match m in Compile(pattern).Matches(text))
            yield return m.Value;
    }

    static readonly Dictionary<string, Regex> Compiled = new();

    /// <summary>The compiled regex for a pattern, built once per pattern.</summary>
    public static Regex Compile(string pattern)
    {
        lock (Compiled)
        {
            if (!Compiled.TryGetValue(pattern, out var regex))
                Compiled[pattern] = regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
            return regex;
        }
    }
}
