using LlmCourse.Data;

namespace LlmCourse.Tasks;

/// <summary>
/// The fact world split for fine-tuning: facts the SFT data may ask about, and facts held out to measure what
/// the model knows from pre-training alone. A fifth of the entities in every mention bucket are held out (both
/// facts of a person together), and every fact the corpus never mentions is held out: no conversation ever
/// teaches those.
/// </summary>
public sealed class FactSplit
{
    FactSplit(IReadOnlyList<FactCount> training, IReadOnlyList<FactCount> heldOut) => (Training, HeldOut) = (training, heldOut);

    public IReadOnlyList<FactCount> Training { get; }
    public IReadOnlyList<FactCount> HeldOut { get; }

    /// <summary>The split of data/facts.tsv the course uses (seeded, so parts 4 to 8 agree on it).</summary>
    public static FactSplit Shipped { get; } = Of(FactWorld.ReadTsv(CourseData.PathOf("facts.tsv")));

    public static FactSplit Of(IReadOnlyList<FactCount> facts, double heldOutShare = 0.2, ulong seed = 4)
    {
        var rng = Rng.For(seed, 0x5917);
        var heldOutEntities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bucket in facts.GroupBy(f => f.Bucket))
        {
            var entities = bucket.Select(f => f.Fact.Entity).Distinct().Order(StringComparer.Ordinal).ToList();
            var take = bucket.Key == "0" ? entities.Count : Math.Max(1, (int)Math.Round(entities.Count * heldOutShare));
            foreach (var e in rng.Sample(entities, take)) heldOutEntities.Add(e);
        }
        return new FactSplit(
            facts.Where(f => !heldOutEntities.Contains(f.Fact.Entity)).ToList(),
            facts.Where(f => heldOutEntities.Contains(f.Fact.Entity)).ToList());
    }
}
