namespace LlmCourse.Data;

/// <summary>
/// A small seeded random generator (SplitMix64). The crawl must be byte-identical for a seed on every
/// machine and every .NET version (the library runs on .NET 8 in the notebook kernel and on .NET 10 in
/// the CLI), so we own the algorithm instead of relying on System.Random's implementation.
/// </summary>
public sealed class Rng(ulong seed)
{
    ulong state = seed;

    /// <summary>A generator for one sub-stream (say page 1234 of seed 1) that does not depend on call order elsewhere.</summary>
    public static Rng For(ulong seed, ulong stream) => new(Mix(seed * 0x9E3779B97F4A7C15UL ^ Mix(stream + 0x632BE59BD9B4E019UL)));

    public ulong NextULong()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => n <= 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : (int)(NextULong() % (ulong)n);

    /// <summary>Uniform integer in [lo, hi] (both inclusive).</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>k distinct items in random order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int k)
    {
        var copy = items.ToList();
        Shuffle(copy);
        return copy.Take(Math.Min(k, copy.Count)).ToList();
    }
}
