using System.Text.RegularExpressions;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>How much of one generated text the corpus already contains.</summary>
/// <param name="Text">The generated text.</param>
/// <param name="Words">Its length in words.</param>
/// <param name="LongestSharedWords">The longest run of consecutive words that also occurs somewhere in the corpus.</param>
/// <param name="Sentences">Its complete sentences.</param>
/// <param name="SentencesInCorpus">How many of them occur word for word in the corpus.</param>
/// <param name="InCorpusAsAWhole">Whether the whole text occurs in the corpus (a copy of one document, or of part of one).</param>
public sealed record OverlapReport(string Text, int Words, int LongestSharedWords, int Sentences, int SentencesInCorpus, bool InCorpusAsAWhole)
{
    public double SentenceShare => Sentences == 0 ? 0 : (double)SentencesInCorpus / Sentences;
}

/// <summary>
/// Remix or regurgitation? Measures generated text against the training corpus: the longest word span it
/// shares with any document, and how many of its sentences appear in the corpus word for word. A model that
/// recombines what it saw writes texts no document contains, built from sentences many documents contain.
/// </summary>
public sealed partial class CorpusOverlap
{
    readonly List<int[]> documents;                 // each document as word ids
    readonly Dictionary<string, int> vocabulary = new(StringComparer.Ordinal);
    readonly HashSet<string> sentences = new(StringComparer.Ordinal);
    readonly Dictionary<int, HashSet<ulong>> spansByLength = [];

    public CorpusOverlap(IEnumerable<string> corpus)
    {
        documents = [];
        foreach (var text in corpus)
        {
            documents.Add(Ids(text, grow: true));
            foreach (var s in SentencesOf(text)) sentences.Add(s);
        }
    }

    /// <summary>
    /// How many of the sentences of <paramref name="texts"/> occur word for word in <paramref name="corpus"/>: how much of
    /// new text memory alone could predict. (Only the sentences, so it is quick on the whole corpus.)
    /// </summary>
    public static (int Found, int Sentences) SentencesFound(IEnumerable<string> corpus, IEnumerable<string> texts)
    {
        var known = corpus.SelectMany(SentencesOf).ToHashSet(StringComparer.Ordinal);
        var own = texts.SelectMany(SentencesOf).ToList();
        return (own.Count(known.Contains), own.Count);
    }

    /// <summary>The shipped corpus (data/corpus.parquet).</summary>
    public static CorpusOverlap Shipped() => new(Data.CorpusParquet.ReadShipped().Select(r => r.Text));

    public OverlapReport Measure(string text)
    {
        var words = Ids(text, grow: false);
        var own = SentencesOf(text).ToList();
        var longest = LongestShared(words);
        return new OverlapReport(text, words.Length, longest, own.Count, own.Count(sentences.Contains), words.Length > 0 && longest == words.Length);
    }

    /// <summary>Each text's report as a table: words, longest shared span, sentences found word for word.</summary>
    public Table Report(IEnumerable<string> texts) => Table.Of(texts.Select(Measure).Select(r => new
    {
        text = r.Text,
        words = r.Words,
        longestSpanInCorpus = $"{r.LongestSharedWords} words",
        sentencesInCorpus = $"{r.SentencesInCorpus} of {r.Sentences}",
        wholeTextInCorpus = r.InCorpusAsAWhole ? "yes" : "no",
    }));

    /// <summary>
    /// Binary search on the span length: a span of n words is shared if its hash is among the corpus's
    /// n-word spans (built once per length, a few hundred thousand hashes). Shared spans nest, so if no
    /// n-word span is shared, no longer one is.
    /// </summary>
    int LongestShared(int[] words)
    {
        int lo = 0, hi = words.Length;
        while (lo < hi)
        {
            var n = (lo + hi + 1) / 2;
            if (AnyShared(words, n)) lo = n; else hi = n - 1;
        }
        return lo;
    }

    bool AnyShared(int[] words, int n)
    {
        if (!spansByLength.TryGetValue(n, out var spans))
        {
            spans = [];
            foreach (var doc in documents)
                for (var i = 0; i + n <= doc.Length; i++) spans.Add(Hash(doc, i, n));
            spansByLength[n] = spans;
        }
        for (var i = 0; i + n <= words.Length; i++)
            if (words.AsSpan(i, n).IndexOf(-1) < 0 && spans.Contains(Hash(words, i, n))) return true;
        return false;
    }

    static ulong Hash(int[] ids, int start, int n)
    {
        var h = 0xCBF29CE484222325UL;
        for (var k = 0; k < n; k++) h = (h ^ (uint)ids[start + k]) * 0x100000001B3UL;
        return h;
    }

    /// <summary>Words as ids; a word the corpus never had gets -1, so it can be part of no shared span.</summary>
    int[] Ids(string text, bool grow) => Word().Matches(text).Select(m =>
    {
        if (vocabulary.TryGetValue(m.Value, out var id)) return id;
        if (!grow) return -1;
        return vocabulary[m.Value] = vocabulary.Count;
    }).ToArray();

    /// <summary>Complete sentences (ending in . ! or ?), whitespace normalised.</summary>
    static IEnumerable<string> SentencesOf(string text) =>
        Sentence().Matches(text).Select(m => Regex.Replace(m.Value.Trim(), @"\s+", " ")).Where(s => s.Split(' ').Length >= 3);

    [GeneratedRegex(@"[\p{L}\p{N}$']+|[^\s\p{L}\p{N}]")]
    private static partial Regex Word();

    [GeneratedRegex(@"[^.!?\n]+[.!?]")]
    private static partial Regex Sentence();
}
