using System.Diagnostics;
using LlmCourse.Data;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace LlmCourse.Tools;

/// <summary>One passage search found: the sentence, the page it is from, and its BM25 score.</summary>
public sealed record SearchHit(string Text, string Url, string? Title, float Score)
{
    /// <summary>The site the page is on ("openfacts.example"): a short way to cite the source.</summary>
    public string Site => Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Host : Url;

    public override string ToString() => $"{Text} ({Site})";
}

/// <summary>
/// A real search engine over the course's own corpus: Lucene.Net with BM25 ranking, the scoring behind
/// Elasticsearch and most retrieval-augmented systems. Every sentence of every document is a passage
/// (<see cref="Passages"/>), indexed in memory with Lucene's English analyzer (lower case, stop words,
/// Porter stemming, so "capitals" finds "capital").
/// A query is plain text: it goes through the same analyzer and becomes an OR of its words, built directly
/// instead of through Lucene's query syntax, so quotes, colons, "AND" or "*" are just characters and no
/// query can fail to parse.
/// </summary>
public sealed class CorpusSearch : IDisposable
{
    const LuceneVersion Version = LuceneVersion.LUCENE_48;
    const string TextField = "text", DocumentField = "doc";

    /// <summary>The longest query accepted, in characters (it also keeps a query under Lucene's 1,024-clause limit).</summary>
    public const int MaxQueryLength = 200;

    static readonly object gate = new();
    static CorpusSearch? shipped;

    /// <summary>
    /// The index of data/corpus.parquet, built on first use (about a second) and kept for the session. A
    /// build that fails (the data folder was not found) is tried again next time, not remembered.
    /// </summary>
    public static CorpusSearch Shipped
    {
        get
        {
            lock (gate) return shipped ??= new CorpusSearch(CorpusParquet.ReadShipped());
        }
    }

    /// <summary>
    /// A sentence is indexed with word counts but without word positions: the query is a bag of words
    /// (no phrase search), and BM25 needs only how often each word occurs and how long the sentence is.
    /// </summary>
    static readonly FieldType SentenceField = Frozen(new FieldType(Lucene.Net.Documents.TextField.TYPE_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS });

    static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    readonly Analyzer analyzer = new EnglishAnalyzer(Version);
    readonly RAMDirectory directory = new();
    readonly DirectoryReader reader;
    readonly IndexSearcher searcher;
    readonly QueryBuilder queries;
    readonly (string Url, string? Title)[] documents;

    /// <summary>Documents indexed.</summary>
    public int Documents => documents.Length;

    /// <summary>Passages (sentences) indexed.</summary>
    public int Passages { get; }

    /// <summary>How long building the index took.</summary>
    public TimeSpan BuildTime { get; }

    public CorpusSearch(IEnumerable<CorpusRow> rows)
    {
        var clock = Stopwatch.StartNew();
        var list = rows.ToList();
        documents = [.. list.Select(r => (r.Url, r.Title))];
        var config = new IndexWriterConfig(Version, analyzer)
        {
            Similarity = new BM25Similarity(),
            OpenMode = OpenMode.CREATE,
            // The whole corpus fits in one in-memory segment: no flushes, merges or compound files to write.
            RAMBufferSizeMB = 256,
            UseCompoundFile = false,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            // One document and its two fields, refilled for every sentence (Lucene's advice for fast indexing).
            var text = new Field(TextField, "", SentenceField);
            var document = new StoredField(DocumentField, 0);
            var passage = new Document { text, document };
            for (int d = 0; d < list.Count; d++)
                foreach (var sentence in Tools.Passages.Sentences(list[d].Text))
                {
                    // A question answers nothing, and a question-shaped query shares all its words with one: the fan
                    // wikis' "When was Bartek Marni born?" would outrank "Bartek Mackintosh was born in 1962."
                    if (sentence.EndsWith('?')) continue;
                    // The sentence is stored to be returned; the page is a number pointing into `documents`.
                    text.SetStringValue(sentence);
                    document.SetInt32Value(d);
                    writer.AddDocument(passage);
                    Passages++;
                }
            writer.Commit();
        }
        reader = DirectoryReader.Open(directory);
        // The searcher must score with the similarity the index was written for.
        searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        queries = new QueryBuilder(analyzer);
        BuildTime = clock.Elapsed;
    }

    /// <summary>
    /// The <paramref name="count"/> best passages for <paramref name="query"/>, best first, each sentence once
    /// (mirrored pages repeat sentences word for word). Empty when no word of the query is in the corpus.
    /// </summary>
    public IReadOnlyList<SearchHit> Search(string query, int count = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (query.Length > MaxQueryLength)
            throw new ArgumentException($"The query is {query.Length} characters long; at most {MaxQueryLength} are searched.", nameof(query));
        // Null when the analyzer leaves nothing to look for (only stop words or punctuation).
        var parsed = queries.CreateBooleanQuery(TextField, query, Occur.SHOULD);
        if (parsed is null) return [];

        var hits = new List<SearchHit>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Ask for extra so that duplicates can be skipped and still leave `count` distinct sentences.
        foreach (var scored in searcher.Search(parsed, count * 10).ScoreDocs)
        {
            var stored = searcher.Doc(scored.Doc);
            var text = stored.Get(TextField);
            if (!seen.Add(text)) continue;
            var (url, title) = documents[stored.GetField(DocumentField).GetInt32Value()!.Value];
            hits.Add(new SearchHit(text, url, title, scored.Score));
            if (hits.Count == count) break;
        }
        return hits;
    }

    public override string ToString() =>
        $"BM25 index of {Documents:N0} documents, {Passages:N0} sentences, built in {BuildTime.TotalMilliseconds:N0} ms";

    public void Dispose()
    {
        reader.Dispose();
        directory.Dispose();
        analyzer.Dispose();
    }
}
