using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>
/// Byte-level BPE training, fast. The rule is the textbook one (see <see cref="NaiveBpe"/>, which
/// this class must agree with merge for merge): count every adjacent pair over all chunks, merge the
/// most frequent pair everywhere into a new token 256, 257, ...; on a tie take the pair that occurs
/// first in the training text (the order minbpe's reference implementation produces). Repeat.
///
/// What makes it fast is that it never recounts the text:
/// - identical chunks are stored once with their count (" the" appears 100,000 times, stored once);
/// - the unique chunks sit in one array of token ids, in order of first appearance, with prev/next
///   links, so merging two tokens is O(1) and the array index of a token stays the byte offset of
///   its first byte. Array order is text order of first occurrences, which is exactly the tie rule;
/// - each pair knows its count and the ascending list of positions where it starts, so a merge only
///   visits the pair's own occurrences and adjusts the counts of their neighbours (prev, A)+(B, next)
///   become (prev, X)+(X, next);
/// - a priority queue keyed by (count descending, first position ascending) finds the next merge;
///   a pair's key only gets worse after it is created, so stale entries are simply re-keyed when they
///   reach the top (lazy updates), and the queue stays small.
/// A pair's positions only shrink after the step that created it (a token, once merged away, never
/// comes back), so "first position" is found by advancing a head pointer over stale positions.
/// </summary>
public static class BpeTrainer
{
    /// <summary>
    /// Cuts <paramref name="text"/> with <paramref name="pattern"/> and returns each distinct chunk's UTF-8
    /// bytes with its count, in order of first appearance. Long texts are split on all cores: the text is
    /// cut where a letter is followed by a newline, which is a chunk boundary under every GPT pattern
    /// (no alternative matches a letter and a newline together, none looks behind), so the result is
    /// exactly what one pass would give.
    /// </summary>
    public static List<(byte[] Bytes, int Count)> CountChunks(string text, string pattern)
    {
        var segments = new List<(int Start, int End)>();
        int parts = pattern.Length == 0 || text.Length < 1_000_000 ? 1 : Environment.ProcessorCount;
        int start = 0;
        for (int k = 1; k < parts; k++)
        {
            int cut = text.IndexOf('\n', Math.Max(start + 1, (int)((long)text.Length * k / parts)));
            while (cut > 0 && !char.IsLetter(text[cut - 1])) cut = text.IndexOf('\n', cut + 1);
            if (cut <= 0) break;
            segments.Add((start, cut));
            start = cut;
        }
        segments.Add((start, text.Length));

        var counted = new (List<string> Order, Dictionary<string, int> Counts)[segments.Count];
        Parallel.For(0, segments.Count, i =>
        {
            var (from, to) = segments[i];
            var order = new List<string>();
            var counts = new Dictionary<string, int>();
            var piece = from == 0 && to == text.Length ? text : text[from..to];
            foreach (var chunk in SplitPatterns.Split(piece, pattern))
            {
                if (counts.TryGetValue(chunk, out var c)) counts[chunk] = c + 1;
                else { counts[chunk] = 1; order.Add(chunk); }
            }
            counted[i] = (order, counts);
        });

        // Merge in text order, so "first appearance" means the same as in one pass.
        var index = new Dictionary<string, int>();
        var chunks = new List<(byte[] Bytes, int Count)>();
        foreach (var (order, counts) in counted)
            foreach (var chunk in order)
            {
                if (index.TryGetValue(chunk, out var i)) chunks[i] = (chunks[i].Bytes, chunks[i].Count + counts[chunk]);
                else
                {
                    index[chunk] = chunks.Count;
                    chunks.Add((Encoding.UTF8.GetBytes(chunk), counts[chunk]));
                }
            }
        return chunks;
    }

    /// <summary>Learns up to <paramref name="mergeCount"/> merges (fewer if the text runs out of pairs).</summary>
    public static List<Merge> Train(string text, int mergeCount, string pattern = SplitPatterns.Gpt4, Action<Merge>? onMerge = null) =>
        Train(CountChunks(text, pattern), mergeCount, onMerge);

    /// <summary>Learns merges from distinct chunks given in order of first appearance, each with its count.</summary>
    public static List<Merge> Train(IReadOnlyList<(byte[] Bytes, int Count)> chunks, int mergeCount, Action<Merge>? onMerge = null)
    {
        var state = new State(chunks);
        var merges = new List<Merge>(mergeCount);
        for (int step = 0; step < mergeCount; step++)
        {
            if (!state.TryPopBest(out var key, out var count)) break;
            var merge = new Merge(Left(key), Right(key), 256 + step, count);
            state.Apply(merge);
            merges.Add(merge);
            onMerge?.Invoke(merge);
        }
        return merges;
    }

    static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// Hashing for pair keys. long's own hash is high ^ low, i.e. left ^ right: with ids below 4096 that
    /// leaves 4096 hash codes for millions of pairs. A multiplicative (Fibonacci) hash spreads them.
    /// </summary>
    internal sealed class PairKeyComparer : IEqualityComparer<long>
    {
        public static readonly PairKeyComparer Instance = new();
        public bool Equals(long x, long y) => x == y;
        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }
    static int Left(long key) => (int)(key >> 32);
    static int Right(long key) => (int)key;

    sealed class PairInfo
    {
        public long Count;
        public int[] Positions = new int[4];
        public int Length;
        public int Head;          // Positions[..Head] are known stale
        public int TouchedStep = -1;

        public void Add(int position)
        {
            if (Length == Positions.Length) Array.Resize(ref Positions, Length * 2);
            Positions[Length++] = position;
        }
    }

    sealed class State
    {
        readonly int[] token, prev, next, weight;
        readonly Dictionary<long, PairInfo> pairs = new(PairKeyComparer.Instance);
        // (-count, first position): the smallest is the most frequent pair, ties to the earliest.
        readonly PriorityQueue<long, (long NegCount, int First)> queue = new();
        readonly List<long> touched = new();
        int step;

        public State(IReadOnlyList<(byte[] Bytes, int Count)> chunks)
        {
            long total = 0;
            foreach (var c in chunks) total += c.Bytes.Length;
            if (total > int.MaxValue) throw new ArgumentException("Too much distinct text for one training run (over 2 GB of distinct chunks).");
            int n = (int)total;
            token = new int[n]; prev = new int[n]; next = new int[n]; weight = new int[n];
            int at = 0;
            foreach (var (bytes, count) in chunks)
            {
                for (int k = 0; k < bytes.Length; k++, at++)
                {
                    token[at] = bytes[k];
                    weight[at] = count;
                    prev[at] = k == 0 ? -1 : at - 1;
                    next[at] = k == bytes.Length - 1 ? -1 : at + 1;
                    if (k > 0) AddOccurrence(Key(token[at - 1], bytes[k]), at - 1, count);
                }
            }
            foreach (var (key, info) in pairs)
                queue.Enqueue(key, (-info.Count, info.Positions[0]));
        }

        void AddOccurrence(long key, int position, int w)
        {
            if (!pairs.TryGetValue(key, out var info)) pairs[key] = info = new PairInfo();
            info.Count += w;
            info.Add(position);
            Touch(key, info);
        }

        void RemoveOccurrence(long key, int w)
        {
            var info = pairs[key];
            info.Count -= w;
            Touch(key, info);
        }

        void Touch(long key, PairInfo info)
        {
            if (info.TouchedStep == step) return;
            info.TouchedStep = step;
            touched.Add(key);
        }

        bool IsAt(int position, int left, int right) =>
            token[position] == left && next[position] >= 0 && token[next[position]] == right;

        /// <summary>The pair's first current occurrence (advancing past stale positions), or -1 when none is left.</summary>
        int First(long key, PairInfo info)
        {
            int left = Left(key), right = Right(key);
            while (info.Head < info.Length && !IsAt(info.Positions[info.Head], left, right)) info.Head++;
            return info.Head < info.Length ? info.Positions[info.Head] : -1;
        }

        public bool TryPopBest(out long key, out long count)
        {
            // After the step that creates a pair, its key only gets worse (fewer occurrences, first one
            // later), so an entry is never worse than the pair it stands for. When the best entry is stale,
            // the pair goes back in with its true key; when it is current, no other pair can beat it.
            while (queue.TryDequeue(out key, out var priority))
            {
                if (!pairs.TryGetValue(key, out var info) || info.Count <= 0) continue;
                int first = First(key, info);
                if (info.Count == -priority.NegCount && first == priority.First)
                {
                    count = info.Count;
                    return true;
                }
                queue.Enqueue(key, (-info.Count, first));
            }
            count = 0;
            return false;
        }

        public void Apply(Merge merge)
        {
            step++;
            touched.Clear();
            int a = merge.Left, b = merge.Right, x = merge.Id;
            long mergedKey = Key(a, b);
            var info = pairs[mergedKey];
            // Left to right, like the textbook merge: in "aaa" the first two a's merge, the third stays.
            // New positions are appended to other pairs' lists while we walk, never to this one's
            // (a pair with the new token x can't equal (a, b)), so the loop bound is fixed.
            for (int k = info.Head; k < info.Length; k++)
            {
                int i = info.Positions[k];
                if (!IsAt(i, a, b)) continue;   // stale, or consumed by the previous overlapping occurrence
                int j = next[i], p = prev[i], n = next[j], w = weight[i];
                if (p >= 0)
                {
                    RemoveOccurrence(Key(token[p], a), w);
                    AddOccurrence(Key(token[p], x), p, w);
                }
                if (n >= 0)
                {
                    RemoveOccurrence(Key(b, token[n]), w);
                    AddOccurrence(Key(x, token[n]), i, w);
                }
                token[i] = x;
                token[j] = -1;
                next[i] = n;
                if (n >= 0) prev[n] = i;
                info.Count -= w;
            }
            pairs.Remove(mergedKey);

            foreach (var key in touched)
            {
                if (key == mergedKey || !pairs.TryGetValue(key, out var changed)) continue;
                if (changed.Count == 0) { pairs.Remove(key); continue; }
                // Only pairs with the new token enter the queue now; older pairs only lost occurrences
                // and are re-keyed lazily when they reach the top.
                if (Left(key) == x || Right(key) == x)
                    queue.Enqueue(key, (-changed.Count, First(key, changed)));
            }
        }
    }
}
