namespace LlmCourse.Data;

/// <summary>The identifier's answer: the most likely language, its confidence in [0, 1], and every language's score.</summary>
public sealed record LanguageGuess(string Language, double Score, IReadOnlyDictionary<string, double> Scores)
{
    public override string ToString() => $"{Language} {Score:0.00}";
}

/// <summary>
/// Step 5a: which language is this page in? FineWeb uses fastText's language identifier and keeps pages
/// scoring above 0.65 English. Ours is the classic small version: a naive Bayes model over character
/// 1- to 3-grams, trained when it loads from a few sentences per language (data/langid/*.txt).
/// The score is a softmax over the languages' average log-likelihood per n-gram, scaled so a clean page
/// scores near 1 and a page that is half English, half French lands near 0.5 — the confidence a
/// threshold like 0.65 needs.
/// </summary>
public sealed class LanguageIdentifier
{
    const int MaxN = 3;
    /// <summary>Sharpness of the softmax over average log-likelihoods: calibrated so clean English pages score
    /// above 0.9 and half-English pages near 0.5.</summary>
    public double Sharpness { get; }
    /// <summary>Only this much of a long page is read: enough to be sure, and it keeps the stage fast.</summary>
    const int MaxChars = 2000;

    // n-gram -> log P(n-gram | language) for every language, in the order of Languages.
    readonly Dictionary<string, double[]> logProb = new(StringComparer.Ordinal);
    readonly double[] unseen;

    public IReadOnlyList<string> Languages { get; }

    /// <summary>Train on samples: language code -> sample text.</summary>
    public LanguageIdentifier(IReadOnlyDictionary<string, string> samples, double sharpness = 15)
    {
        Sharpness = sharpness;
        Languages = samples.Keys.Order(StringComparer.Ordinal).ToList();
        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, Dictionary<string, int>>();
        foreach (var lang in Languages)
        {
            var c = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var g in NGrams(samples[lang])) { c[g] = c.GetValueOrDefault(g) + 1; vocabulary.Add(g); }
            counts[lang] = c;
        }
        // Add-one smoothing over the shared vocabulary (+1 for n-grams no sample contains).
        var totals = Languages.Select(l => counts[l].Values.Sum() + vocabulary.Count + 1.0).ToArray();
        unseen = totals.Select(t => Math.Log(1 / t)).ToArray();
        foreach (var g in vocabulary)
            logProb[g] = Languages.Select((l, k) => Math.Log((counts[l].GetValueOrDefault(g) + 1) / totals[k])).ToArray();
    }

    /// <summary>The identifier trained on the shipped samples (data/langid/*.txt, compiled into the library).</summary>
    public static LanguageIdentifier Default { get; } = new(
        CourseData.EmbeddedNames("langid.").ToDictionary(n => n["langid.".Length..^".txt".Length], n => CourseData.ReadEmbedded(n.Replace("langid.", "langid/"))));

    /// <summary>Train on a folder of samples, one file per language ("en.txt").</summary>
    public static LanguageIdentifier FromFolder(string folder, double sharpness = 15) => new(
        Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText), sharpness);

    public LanguageGuess Identify(string text)
    {
        var totals = new double[Languages.Count];
        int n = 0;
        foreach (var g in NGrams(text.Length > MaxChars ? text[..MaxChars] : text))
        {
            n++;
            var lp = logProb.TryGetValue(g, out var p) ? p : unseen;
            for (int k = 0; k < totals.Length; k++) totals[k] += lp[k];
        }
        if (n == 0) return new LanguageGuess("unknown", 0, Languages.ToDictionary(l => l, _ => 0.0));
        double max = totals.Max();
        var exp = totals.Select(t => Math.Exp(Sharpness * (t - max) / n)).ToArray();
        double z = exp.Sum();
        var scores = Languages.Select((l, k) => (l, exp[k] / z)).ToDictionary(t => t.l, t => t.Item2, StringComparer.Ordinal);
        var best = scores.MaxBy(kv => kv.Value);
        return new LanguageGuess(best.Key, best.Value, scores);
    }

    /// <summary>Character 1- to 3-grams of the lowercased text, words padded with spaces; digits and punctuation are ignored.</summary>
    static IEnumerable<string> NGrams(string text)
    {
        foreach (var word in Words(text))
        {
            var w = " " + word + " ";
            for (int n = 1; n <= MaxN; n++)
                for (int i = 0; i + n <= w.Length; i++)
                    if (!(n == 1 && w[i] == ' ')) yield return w.Substring(i, n);
        }
    }

    static IEnumerable<string> Words(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool letter = i < text.Length && char.IsLetter(text[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0) { yield return text[start..i].ToLowerInvariant(); start = -1; }
        }
    }
}
