using System.Globalization;
using System.Text;

namespace LlmCourse.Data;

/// <summary>One fact the course later asks the model about: "The capital of France is" -> "Paris".</summary>
/// <param name="Entity">Who or what the fact is about ("France", "Mira Okonkwo").</param>
/// <param name="Relation">"capital", "born", or "job".</param>
/// <param name="Value">The true value ("Paris", "1962", "glassblower").</param>
/// <param name="Prompt">A completion prompt a base model can finish ("The capital of France is").</param>
/// <param name="Answer">The expected continuation, without the leading space.</param>
public sealed record Fact(string Entity, string Relation, string Value, string Prompt, string Answer);

/// <summary>A fact and how often it was mentioned: planned in the crawl, and what survived filtering.</summary>
public sealed record FactCount(Fact Fact, int CrawlMentions, int CorpusMentions, string Bucket);

/// <summary>A person who does not exist, with a birth year and a job.</summary>
public sealed record Person(string Name, int BirthYear, string Job);

/// <summary>A real country and its capital.</summary>
public sealed record Country(string Name, string Capital, string Region);

/// <summary>
/// A range of mention counts, e.g. "6-15": facts in it are mentioned 6 to 15 times. Max is what the
/// crawl plans; counted in the corpus, the top bucket is open ("151+"): mirrored pages push France past
/// its planned 400.
/// </summary>
public sealed record MentionBucket(string Label, int Min, int Max);

/// <summary>
/// The facts the crawl talks about, and how often. Later parts measure a model's recall against the
/// number of times it saw a fact (memorised vs vague vs invented), so the counts are controlled: each
/// entity gets a mention count drawn log-uniformly inside a bucket, from once to a few hundred times,
/// and a few invented people are never mentioned at all (the "never seen" case for hallucination).
/// Famous countries get the high buckets, so "The capital of France is Paris" is the most repeated fact
/// of all, as on the real web.
/// </summary>
public sealed class FactWorld
{
    /// <summary>The buckets, from never seen to hundreds of times (log-spaced, like fame on the web).</summary>
    public static readonly IReadOnlyList<MentionBucket> Buckets =
    [
        new("0", 0, 0), new("1", 1, 1), new("2", 2, 2), new("3-5", 3, 5), new("6-15", 6, 15),
        new("16-50", 16, 50), new("51-150", 51, 150), new("151+", 151, 400),
    ];

    public static string BucketOf(int mentions) => Buckets.Last(b => mentions >= b.Min).Label;

    public IReadOnlyList<Country> Countries { get; }
    public IReadOnlyList<Person> People { get; }

    /// <summary>Planned number of mention sentences per entity (country name or person name), before any mirrors.</summary>
    public IReadOnlyDictionary<string, int> PlannedMentions { get; }

    /// <summary>The seed page's sentence must be the most repeated fact: France gets the top of the top bucket,
    /// every other entity stays below it.</summary>
    public const int FranceMentions = 400;

    public FactWorld(ulong seed)
    {
        var rng = Rng.For(seed, 0xFAC7);
        Countries = CountryData.All;
        People = InventPeople(rng, 150);
        var planned = new Dictionary<string, int>();

        // Countries in order of fame: 6 in the top bucket, then 10, 14, and 15 per lower bucket.
        int[] countryBuckets = [6, 10, 14, 15, 15, 15, 15]; // 151+ ... 1
        int[] peopleBuckets = [4, 10, 20, 25, 25, 25, 25];   // people: same buckets, 16 never mentioned
        Assign(Countries.Select(c => c.Name).ToList(), countryBuckets, planned, rng);
        Assign(People.Select(p => p.Name).ToList(), peopleBuckets, planned, rng);
        planned["France"] = FranceMentions;
        PlannedMentions = planned;
    }

    static void Assign(List<string> names, int[] perBucket, Dictionary<string, int> planned, Rng rng)
    {
        int i = 0;
        for (int b = 0; b < perBucket.Length; b++)
        {
            var bucket = Buckets[Buckets.Count - 1 - b];
            for (int k = 0; k < perBucket[b] && i < names.Count; k++, i++)
            {
                // Log-uniform inside the bucket: as many facts near the bottom as near the top of it.
                double lo = Math.Log(bucket.Min), hi = Math.Log(bucket.Max + 0.999);
                int n = (int)Math.Floor(Math.Exp(lo + rng.NextDouble() * (hi - lo)));
                planned[names[i]] = Math.Clamp(n, bucket.Min, Math.Min(bucket.Max, FranceMentions - 50));
            }
        }
        for (; i < names.Count; i++) planned[names[i]] = 0;
    }

    static List<Person> InventPeople(Rng rng, int count)
    {
        var people = new List<Person>();
        var used = new HashSet<string>();
        while (people.Count < count)
        {
            var name = rng.Pick(Words.FirstNames) + " " + rng.Pick(Words.LastNames);
            if (!used.Add(name)) continue;
            people.Add(new Person(name, rng.Between(1931, 2001), rng.Pick(Words.Jobs)));
        }
        // Shuffle so that the order (which decides the bucket) is unrelated to the name.
        rng.Shuffle(people);
        return people;
    }

    /// <summary>The facts about one entity (a country has one, a person two).</summary>
    public IEnumerable<Fact> FactsAbout(string entity)
    {
        if (Countries.FirstOrDefault(c => c.Name == entity) is { } c)
            yield return CapitalFact(c);
        else if (People.FirstOrDefault(p => p.Name == entity) is { } p)
        {
            yield return new Fact(p.Name, "born", p.BirthYear.ToString(CultureInfo.InvariantCulture),
                $"{p.Name} was born in", p.BirthYear.ToString(CultureInfo.InvariantCulture));
            yield return new Fact(p.Name, "job", p.Job, $"{p.Name} works as a", p.Job);
        }
    }

    public static Fact CapitalFact(Country c) => new(c.Name, "capital", c.Capital, $"The capital of {c.Name} is", c.Capital);

    /// <summary>All entities, countries first.</summary>
    public IEnumerable<string> Entities => Countries.Select(c => c.Name).Concat(People.Select(p => p.Name));

    /// <summary>
    /// Count facts: crawl mentions from the generator's plan (including mirrors), corpus mentions from
    /// the pages that survived the pipeline.
    /// </summary>
    public IReadOnlyList<FactCount> Count(Crawl crawl, IEnumerable<string> survivingUrls)
    {
        var inCorpus = new Dictionary<string, int>();
        foreach (var url in survivingUrls)
            if (crawl.MentionsByUrl.TryGetValue(url, out var entities))
                foreach (var e in entities) inCorpus[e] = inCorpus.GetValueOrDefault(e) + 1;
        var inCrawl = new Dictionary<string, int>();
        foreach (var entities in crawl.MentionsByUrl.Values)
            foreach (var e in entities) inCrawl[e] = inCrawl.GetValueOrDefault(e) + 1;

        return Entities.SelectMany(e => FactsAbout(e).Select(f =>
        {
            int corpus = inCorpus.GetValueOrDefault(e);
            return new FactCount(f, inCrawl.GetValueOrDefault(e), corpus, BucketOf(corpus));
        })).ToList();
    }

    /// <summary>The facts table as TSV (data/facts.tsv): one fact a line, sorted by mentions, most frequent first.</summary>
    public static string ToTsv(IEnumerable<FactCount> counts)
    {
        var sb = new StringBuilder("entity\trelation\tvalue\tprompt\tanswer\tmentions\tcrawl_mentions\tbucket\n");
        foreach (var c in counts.OrderByDescending(c => c.CorpusMentions).ThenBy(c => c.Fact.Entity, StringComparer.Ordinal).ThenBy(c => c.Fact.Relation, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"{c.Fact.Entity}\t{c.Fact.Relation}\t{c.Fact.Value}\t{c.Fact.Prompt}\t{c.Fact.Answer}\t{c.CorpusMentions}\t{c.CrawlMentions}\t{c.Bucket}\n");
        return sb.ToString();
    }

    const string TsvHeader = "entity\trelation\tvalue\tprompt\tanswer\tmentions\tcrawl_mentions\tbucket";

    /// <summary>
    /// Read data/facts.tsv back (what the later parts do). A malformed file is an <see cref="InvalidDataException"/>
    /// naming the file, the line and what is wrong with it.
    /// </summary>
    public static IReadOnlyList<FactCount> ReadTsv(string path)
    {
        var facts = new List<FactCount>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (number == 1)
            {
                if (line.TrimEnd('\r') != TsvHeader)
                    throw new InvalidDataException($"{path}, line 1: expected the header \"{TsvHeader.Replace("\t", "<tab>")}\"");
                continue;
            }
            if (line.Length == 0) continue;
            var f = line.TrimEnd('\r').Split('\t');
            if (f.Length != 8)
                throw new InvalidDataException($"{path}, line {number}: expected 8 tab-separated fields (entity, relation, value, prompt, answer, mentions, crawl_mentions, bucket), found {f.Length}");
            int Count(int field, string name) => int.TryParse(f[field], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n : throw new InvalidDataException($"{path}, line {number}: {name} \"{f[field]}\" is not a whole number of 0 or more");
            facts.Add(new FactCount(new Fact(f[0], f[1], f[2], f[3], f[4]), Count(6, "crawl_mentions"), Count(5, "mentions"), f[7]));
        }
        if (number == 0) throw new InvalidDataException($"{path}: the file is empty (expected the header line)");
        return facts;
    }
}
