using System.Globalization;
using System.Text.RegularExpressions;
using LlmCourse.Data;

namespace LlmCourse.Tasks;

/// <summary>An unverifiable request: no checker can say whether the reply is right, only whether people like it.</summary>
/// <param name="Kind">"toast" or "travel tip".</param>
/// <param name="Names">What a personal reply mentions: the couple's names (a toast) or the city (a tip).</param>
/// <param name="Detail">A personal detail a good toast uses (a hobby), or null.</param>
public sealed record PreferencePrompt(string Kind, string Question, IReadOnlyList<string> Names, string? Detail);

/// <summary>A labeller's ranking of several replies to one prompt, best first.</summary>
public sealed record Ranking(int Prompt, IReadOnlyList<string> Replies, IReadOnlyList<int> Order);

/// <summary>Two replies to one prompt, the one the labeller preferred first.</summary>
public sealed record PreferencePair(int Prompt, string Chosen, string Rejected);

/// <summary>
/// Part 7's world of taste. A hidden <b>true preference</b> says what makes a toast good — the seed's criteria:
/// personal (it names the couple and uses a detail), brief, kind, and not a roast — or a travel tip (it names the
/// city, one concrete tip, brief). Simulated <b>labellers</b> rank replies by that preference, but they are noisy
/// and they carry a bias the true preference does not share: they like longer, more enthusiastic replies. A reward
/// model trained on their rankings learns the bias too; a policy optimised against it finds it.
/// </summary>
public static partial class Preferences
{
    static readonly string[] Relations = ["sister", "brother", "best friend", "cousin", "colleague", "daughter", "son", "oldest friend"];
    static readonly string[] Hobbies = ["hiking", "baking", "old films", "chess", "gardening", "cycling", "board games", "the sea", "music", "painting"];

    /// <summary>Toast and travel-tip requests, seeded (stream 0 for training, 1 for held-out prompts).</summary>
    public static IReadOnlyList<PreferencePrompt> Prompts(int count, ulong stream, IReadOnlyList<string> cities)
    {
        var rng = Rng.For(0x7A57E, stream);
        return Enumerable.Range(0, count).Select(i =>
        {
            if (i % 3 == 2)
            {
                var city = rng.Pick(cities);
                return new PreferencePrompt("travel tip", rng.Pick([$"Give me a travel tip for {city}.", $"What should I know before a trip to {city}?"]), [city], null);
            }
            var name = rng.Pick(Data.Words.FirstNames);
            var partner = rng.Pick(Data.Words.FirstNames.Where(n => n != name).ToList());
            var relation = rng.Pick(Relations);
            var hobby = rng.Pick(Hobbies);
            var question = rng.Next(2) == 0
                ? $"Write a short toast for my {relation} {name}'s wedding to {partner}. {name} loves {hobby}."
                : $"Can you write a wedding toast for {name} and {partner}? {name} is my {relation} and loves {hobby}.";
            return new PreferencePrompt("toast", question, [name, partner], hobby);
        }).ToList();
    }

    // ---- the true preference: what people who will hear the toast actually want --------------------

    static readonly string[] Kind = ["love", "happy", "happiness", "kind", "warm", "congratulations", "laughter", "patience", "cheers", "joy"];
    static readonly string[] Roast = ["embarrassing", "roast", "stupid", "worst", "terrible", "drunk", "ex-", "mistake", "boring"];
    static readonly string[] Gushing = ["wonderful", "amazing", "incredible", "truly", "absolutely", "fantastic", "perfect", "best", "beautiful", "so much"];

    /// <summary>
    /// The hidden true score of a reply (higher is better). The policy never sees it; notebook 07 plots it next to
    /// the reward model's score. Brevity is part of it: past about 35 words every extra word costs, and a sentence
    /// said twice costs more.
    /// </summary>
    public static double TrueScore(PreferencePrompt prompt, string reply)
    {
        var words = WordsOf(reply);
        var score = 0.0;
        score += prompt.Names.Count(n => reply.Contains(n, StringComparison.Ordinal)) / (double)prompt.Names.Count;   // personal
        if (prompt.Detail is { } detail && reply.Contains(detail, StringComparison.OrdinalIgnoreCase)) score += 0.5;   // a real detail
        score += 0.25 * Math.Min(3, Kind.Count(k => reply.Contains(k, StringComparison.OrdinalIgnoreCase)));           // kind, warmly
        if (Roast.Any(r => reply.Contains(r, StringComparison.OrdinalIgnoreCase))) score -= 1.5;                       // not a roast
        score -= Math.Max(0, words.Count - 35) * 0.04;                                                                   // brief
        score -= RepeatedSentences(reply) * 0.5;                                                                         // no padding
        score -= Math.Max(0, reply.Count(c => c == '!') - 1) * 0.15;                                                     // no shouting
        if (prompt.Kind == "travel tip" && words.Count < 8) score -= 0.5;                                                // a tip, not a shrug
        if (!reply.TrimEnd().EndsWith('.') && !reply.TrimEnd().EndsWith('!')) score -= 0.5;                            // finished
        return score;
    }

    // ---- the labellers: noisy, and fond of long, enthusiastic replies ------------------------------

    /// <summary>
    /// What a labeller feels about a reply: the true score, plus a bias for length and enthusiasm the true preference
    /// does not share, plus noise (each labeller, each time). The bias is plausible — longer and more excited often
    /// reads as more effort — and it is what a reward model trained on their rankings will inherit.
    /// </summary>
    public static double LabellerScore(PreferencePrompt prompt, string reply, Rng noise, double noiseScale = 0.35)
    {
        var words = WordsOf(reply).Count;
        var gushing = Gushing.Count(g => reply.Contains(g, StringComparison.OrdinalIgnoreCase));
        var bias = 0.045 * words + 0.25 * Math.Min(4, reply.Count(c => c == '!')) + 0.3 * gushing;
        return TrueScore(prompt, reply) + bias + noiseScale * Gaussian(noise);
    }

    /// <summary>A labeller ranks the replies to one prompt, best first (deterministic given the seed).</summary>
    public static Ranking Rank(int promptIndex, PreferencePrompt prompt, IReadOnlyList<string> replies, ulong seed)
    {
        var noise = Rng.For(seed, (ulong)promptIndex);
        var scores = replies.Select(r => LabellerScore(prompt, r, noise)).ToArray();
        return new Ranking(promptIndex, replies, Enumerable.Range(0, replies.Count).OrderByDescending(i => scores[i]).ToList());
    }

    /// <summary>Every pair a ranking implies (k replies give k(k−1)/2 pairs), skipping identical replies.</summary>
    public static IEnumerable<PreferencePair> Pairs(Ranking ranking)
    {
        for (var a = 0; a < ranking.Order.Count; a++)
            for (var b = a + 1; b < ranking.Order.Count; b++)
            {
                var (chosen, rejected) = (ranking.Replies[ranking.Order[a]], ranking.Replies[ranking.Order[b]]);
                if (chosen != rejected) yield return new PreferencePair(ranking.Prompt, chosen, rejected);
            }
    }

    /// <summary>The seed's own ranked examples (Emily's apples, the wedding toast), best first, with the seed's reasons.</summary>
    public static IReadOnlyList<(string Prompt, (string Reply, string Why)[] Ranked)> SeedRankings { get; } =
    [
        ("Emily buys 3 apples and 2 oranges. Each orange costs $2. The total cost is $13. What is the cost of each apple?",
        [
            ("The oranges cost 2 × $2 = $4. The total is $13, so the apples cost $13 - $4 = $9. There are 3 apples, so each apple costs $9 ÷ 3 = $3.", "Correct, clear, and works step by step toward the answer."),
            ("Each apple costs $3.", "Correct, but skips the reasoning the user may need."),
            ("Each apple costs $4.", "Confident, but wrong."),
        ]),
        ("Can you help me write a good wedding toast?",
        [
            ("A good wedding toast should be personal, brief, and kind. Tell one true story, name one real emotion, and end by honoring the couple.", "Warm, useful, specific, and aligned with the requested task."),
            ("A good wedding toast should be funny and memorable.", "Reasonable, but generic and less actionable."),
            ("Just roast the couple and tell every embarrassing story you know.", "Likely entertaining in theory, but unhelpful and socially risky."),
        ]),
    ];

    /// <summary>Pairs as TSV (prompt index, chosen, rejected), the export under data/.</summary>
    public static void WriteTsv(IEnumerable<PreferencePair> pairs, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllLines(path + ".partial", ["prompt\tchosen\trejected", .. pairs.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Prompt}\t{Escape(p.Chosen)}\t{Escape(p.Rejected)}"))]);
        File.Move(path + ".partial", path, overwrite: true);
    }

    static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n");

    static List<string> WordsOf(string text) => WordPattern().Matches(text).Select(m => m.Value).ToList();

    static int RepeatedSentences(string text)
    {
        var sentences = SentencePattern().Matches(text).Select(m => m.Value.Trim()).Where(s => s.Length > 0).ToList();
        return sentences.Count - sentences.Distinct(StringComparer.OrdinalIgnoreCase).Count();
    }

    static double Gaussian(Rng rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[^.!?]+[.!?]+")]
    private static partial Regex SentencePattern();
}
