using System.Security.Cryptography;
using System.Text;

namespace LlmCourse.Data;

/// <summary>A page removed as a copy: which earlier page it copies and how similar they are (1.0 for exact).</summary>
public sealed record DuplicatePair(string KeptUrl, string RemovedUrl, double EstimatedJaccard, bool Exact)
{
    /// <summary>The removed page's text, kept for near duplicates so the notebook can show the pair side by side.</summary>
    public string? RemovedText { get; init; }
}

/// <summary>The deduplicator's answer for one page.</summary>
public sealed record DedupVerdict(bool Keep, string? Reason, DuplicatePair? Pair);

/// <summary>
/// MinHash LSH settings. FineWeb uses 5-word shingles and 112 hashes in 14 bands of 8, which finds pairs
/// from a Jaccard similarity of about 0.75. Our pages are short, so one changed sentence moves the
/// similarity more; 20 bands of 5 make pairs from about 0.6 candidates (a pair at 0.7 is found with
/// probability 1 - (1 - 0.7^5)^20 = 0.97), and the estimated Jaccard must still reach the threshold.
/// </summary>
public sealed record DedupConfig(int ShingleWords = 5, int Bands = 20, int RowsPerBand = 5, double Threshold = 0.7);

/// <summary>
/// Step 5c: remove copies. The web repeats itself (mirrors, reposts, scraped copies); training on the same
/// text many times wastes compute and makes a model regurgitate. Two passes, in crawl order, keeping the
/// first copy seen:
/// exact — a SHA-256 of the whitespace- and case-normalised text;
/// near — MinHash signatures split into bands; two pages that agree on every row of any band land in the
/// same bucket and become candidates (locality-sensitive hashing: no all-pairs comparison, so the cost
/// grows linearly with the crawl), and a candidate whose estimated Jaccard similarity is at least the
/// threshold is removed.
/// </summary>
public sealed class Deduplicator
{
    public DedupConfig Config { get; }
    readonly MinHash minHash;
    readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
    readonly Dictionary<(int Band, ulong Key), List<int>> buckets = [];
    readonly List<(string Url, ulong[] Signature)> kept = [];

    public Deduplicator(DedupConfig? config = null)
    {
        Config = config ?? new DedupConfig();
        minHash = new MinHash(Config.Bands * Config.RowsPerBand, Config.ShingleWords);
    }

    public MinHash MinHash => minHash;

    /// <summary>Exact pass only: is this text (normalised) already in the corpus? Remembers it if not.</summary>
    public DedupVerdict CheckExact(string url, string text)
    {
        var key = ExactKey(text);
        if (exact.TryGetValue(key, out var first))
            return new DedupVerdict(false, "exact duplicate", new DuplicatePair(first, url, 1.0, true));
        exact[key] = url;
        return new DedupVerdict(true, null, null);
    }

    /// <summary>Near-duplicate pass only: is this text similar to a page already kept? Remembers it if not.</summary>
    public DedupVerdict CheckNear(string url, string text)
    {
        var v = CheckNear(url, minHash.Signature(text));
        return v.Pair is { } p ? v with { Pair = p with { RemovedText = text } } : v;
    }

    public DedupVerdict CheckNear(string url, ulong[] signature)
    {
        int r = Config.RowsPerBand;
        var keys = new ulong[Config.Bands];
        DuplicatePair? best = null;
        for (int b = 0; b < Config.Bands; b++)
        {
            ulong h = 0x84222325CBF29CE4UL;
            for (int i = 0; i < r; i++) h = Rng.Mix(h ^ signature[b * r + i]);
            keys[b] = h;
            if (!buckets.TryGetValue((b, h), out var candidates)) continue;
            foreach (var c in candidates)
            {
                double j = MinHash.EstimatedJaccard(signature, kept[c].Signature);
                if (j >= Config.Threshold && (best == null || j > best.EstimatedJaccard))
                    best = new DuplicatePair(kept[c].Url, url, j, false);
            }
        }
        if (best != null) return new DedupVerdict(false, "near duplicate", best);
        int index = kept.Count;
        kept.Add((url, signature));
        for (int b = 0; b < Config.Bands; b++)
        {
            if (!buckets.TryGetValue((b, keys[b]), out var list)) buckets[(b, keys[b])] = list = [];
            list.Add(index);
        }
        return new DedupVerdict(true, null, null);
    }

    /// <summary>Both passes: exact first, then near.</summary>
    public DedupVerdict Check(string url, string text)
    {
        var v = CheckExact(url, text);
        return v.Keep ? CheckNear(url, text) : v;
    }

    static string ExactKey(string text)
    {
        var normalized = string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}
