using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>
/// BPE training as it is taught: turn each chunk into bytes, count every adjacent pair, merge the most
/// frequent one everywhere, repeat. Recounting the whole text every step makes it slow (fine for a
/// paragraph), but every line is the rule itself; <see cref="BpeTrainer"/> is the fast version and
/// the tests check that both learn exactly the same merges.
/// </summary>
public static class NaiveBpe
{
    /// <summary>One training step: the merge made and every chunk's token ids after it.</summary>
    public sealed record Step(Merge Merge, IReadOnlyList<IReadOnlyList<int>> Chunks)
    {
        public int TokenCount => Chunks.Sum(c => c.Count);
    }

    public static List<Step> Train(string text, int mergeCount, string pattern = SplitPatterns.None)
    {
        var chunks = SplitPatterns.Split(text, pattern)
            .Select(c => Encoding.UTF8.GetBytes(c).Select(b => (int)b).ToList()).ToList();
        var steps = new List<Step>();
        for (int k = 0; k < mergeCount; k++)
        {
            // Count pairs; remember where each was first seen, for the tie rule.
            var counts = new Dictionary<(int, int), (long Count, int First)>();
            int position = 0;
            foreach (var ids in chunks)
            {
                for (int i = 0; i + 1 < ids.Count; i++, position++)
                {
                    var pair = (ids[i], ids[i + 1]);
                    counts[pair] = counts.TryGetValue(pair, out var c) ? (c.Count + 1, c.First) : (1, position);
                }
                position++;
            }
            if (counts.Count == 0) break;

            // Most frequent pair; on a tie, the one seen first.
            var best = counts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First).First();
            var merge = new Merge(best.Key.Item1, best.Key.Item2, 256 + k, best.Value.Count);
            chunks = chunks.Select(ids => MergePair(ids, merge.Left, merge.Right, merge.Id)).ToList();
            steps.Add(new Step(merge, chunks));
        }
        return steps;
    }

    /// <summary>One row of a replay: the sequence after a merge (step 0: the raw bytes).</summary>
    public sealed record ReplayRow(int Step, string Merge, string Tokens, string Ids, int Length);

    /// <summary>
    /// BPE by hand on a short text: the raw bytes, then after each merge the new symbol and the shorter
    /// sequence, e.g. for "aaabdaaabac": aa|a|b|d|aa|a|b|a|c, then aaa|b|d|aaa|b|a|c, then aaab|d|aaab|a|c.
    /// </summary>
    public static IReadOnlyList<ReplayRow> Replay(string text, int mergeCount)
    {
        var steps = Train(text, mergeCount);
        var vocab = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToList();
        foreach (var s in steps) vocab.Add([.. vocab[s.Merge.Left], .. vocab[s.Merge.Right]]);
        string Tokens(IEnumerable<int> ids) => string.Join("|", ids.Select(id => TokenText.Show(vocab[id]).Trim('\'')));
        var bytes = Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToList();
        var rows = new List<ReplayRow> { new(0, "(UTF-8 bytes)", Tokens(bytes), string.Join(" ", bytes), bytes.Count) };
        foreach (var s in steps)
        {
            var ids = s.Chunks.SelectMany(c => c).ToList();
            var m = s.Merge;
            rows.Add(new(m.Step + 1, $"{Tokens([m.Left])} + {Tokens([m.Right])} -> {m.Id} (seen {m.Count}x)", Tokens(ids), string.Join(" ", ids), ids.Count));
        }
        return rows;
    }

    /// <summary>Replaces every occurrence of (left, right), scanning left to right, by <paramref name="id"/>.</summary>
    public static List<int> MergePair(IReadOnlyList<int> ids, int left, int right, int id)
    {
        var merged = new List<int>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            if (i + 1 < ids.Count && ids[i] == left && ids[i + 1] == right) { merged.Add(id); i++; }
            else merged.Add(ids[i]);
        }
        return merged;
    }
}
