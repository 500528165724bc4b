using System.Text.RegularExpressions;

namespace LlmCourse.Tools;

/// <summary>
/// Cuts documents into the passages search returns. A whole page would flood the assistant's 256-token
/// context, and a paragraph often states two facts when only one was asked for, so the passage is the
/// sentence: "Luanda, the capital of Angola, is known for its museums and markets."
/// </summary>
public static partial class Passages
{
    /// <summary>The sentences of a text, paragraph by paragraph (paragraphs are separated by blank lines).</summary>
    public static IEnumerable<string> Sentences(string text) =>
        text.Split(["\n\n", "\r\n\r\n"], StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(paragraph => SentenceEnd().Split(paragraph.Trim()))
            .Select(s => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(s => s.Length > 0);

    // A sentence ends at ". ", "! " or "? " followed by a capital, a digit, an opening quote or a dash (a quiz's
    // "What was Bartek's job? - Bartek was a locksmith." is a question, then its answer) — the corpus's capitals and
    // names carry no abbreviations with a full stop, so this simple rule is enough here.
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\d""“‘'(\-–—])")]
    private static partial Regex SentenceEnd();
}
