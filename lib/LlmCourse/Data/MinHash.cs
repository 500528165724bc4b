namespace LlmCourse.Data;

/// <summary>
/// MinHash signatures over word shingles: the estimate of Jaccard similarity FineWeb's near-duplicate
/// removal is built on. For each of k hash functions keep the smallest hash over a document's shingles;
/// two documents agree at one position with probability equal to their Jaccard similarity, so the share
/// of equal positions estimates it without ever comparing the shingle sets.
/// </summary>
public sealed class MinHash(int hashes = 112, int shingleWords = 5, ulong seed = 42)
{
    public int Hashes { get; } = hashes;
    public int ShingleWords { get; } = shingleWords;
    readonly ulong[] salts = Enumerable.Range(0, hashes).Select(i => Rng.Mix(seed * 0x9E3779B97F4A7C15UL + (ulong)i + 1)).ToArray();

    /// <summary>Lowercased words, punctuation stripped: "Paris." and "paris" are the same word.</summary>
    public static List<string> NormalizedWords(string text)
    {
        var words = new List<string>();
        var sb = new System.Text.StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
            else if (char.IsWhiteSpace(ch) && sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); }
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }

    /// <summary>64-bit hashes of the document's word n-gram shingles (a document shorter than n is one shingle).</summary>
    public HashSet<ulong> Shingles(string text)
    {
        var words = NormalizedWords(text);
        var wordHashes = words.Select(Fnv).ToArray();
        var set = new HashSet<ulong>();
        int n = Math.Min(ShingleWords, Math.Max(1, wordHashes.Length));
        for (int i = 0; i + n <= wordHashes.Length; i++)
        {
            ulong h = 0xCBF29CE484222325UL;
            for (int k = 0; k < n; k++) h = Rng.Mix(h ^ wordHashes[i + k]);
            set.Add(h);
        }
        return set;
    }

    public ulong[] Signature(string text) => Signature(Shingles(text));

    public ulong[] Signature(IEnumerable<ulong> shingles)
    {
        var sig = Enumerable.Repeat(ulong.MaxValue, Hashes).ToArray();
        foreach (var s in shingles)
            for (int i = 0; i < sig.Length; i++)
            {
                ulong h = Rng.Mix(s ^ salts[i]);
                if (h < sig[i]) sig[i] = h;
            }
        return sig;
    }

    /// <summary>Share of equal signature positions: the estimated Jaccard similarity.</summary>
    public static double EstimatedJaccard(ulong[] a, ulong[] b)
    {
        int same = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) same++;
        return same / (double)a.Length;
    }

    /// <summary>The exact Jaccard similarity of two texts' shingle sets (for checking the estimate).</summary>
    public double Jaccard(string a, string b)
    {
        var sa = Shingles(a); var sb = Shingles(b);
        int inter = sa.Count(sb.Contains);
        int union = sa.Count + sb.Count - inter;
        return union == 0 ? 1 : inter / (double)union;
    }

    static ulong Fnv(string s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (var c in s) { h ^= c; h *= 0x100000001B3UL; }
        return h;
    }
}
