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
