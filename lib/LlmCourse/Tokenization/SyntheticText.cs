using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>
/// Deterministic English-like text with many distinct words, for benchmarking BPE training before
/// (or without) the course corpus. Words follow a Zipf law over a lexicon of real English words,
/// some French, German and Spanish words with accents, and tens of thousands of pronounceable
/// made-up words, so chunk deduplication helps the trainer about as much as it does on real text
/// (repeating a few paragraphs would make it trivially fast). Sentences mix in numbers, prices,
/// years, punctuation, the odd line of code and emoji.
/// </summary>
public static class SyntheticText
{
    static readonly string[] Common =
        ("the of and to in a is that for it as was with be by on not he I this are or his from at which but have an they you " +
         "were her she there one all we their been has would when who will more no if out so said what up its about into than " +
         "them can only other new some could time these two may then do first any my now such like our over man me even most made " +
         "after also did many before must through back years where much your way well down should because each just those people " +
         "how too little state good very make world still own see men work long get here between both life being under never day " +
         "same another know while last might us great old year off come since against go came right used take three language model " +
         "token training data text learning network computer paris france capital river water history science music city country").Split(' ');

    static readonly string[] Foreign =
        ("le la les des est une dans pour avec être très français élève café où déjà über für schön Straße Größe Mädchen " +
         "können würde Übung el los las una por más está también años niño señor corazón canción después él qué cómo").Split(' ');

    static readonly string[] Onsets = ["", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "ch", "sh", "th", "pl", "br", "gr", "qu"];
    static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ea", "ou", "ai", "io", "ee"];
    static readonly string[] Codas = ["", "", "n", "r", "s", "t", "l", "nd", "st", "ng", "ck", "m"];
    static readonly string[] Code =
    [
        "var total = items.Sum(x => x.Price * x.Count);", "for (int i = 0; i < n; i++) { sum += a[i]; }",
        "if (result == null) throw new ArgumentNullException(nameof(result));", "def forward(self, x):\n    return self.proj(x) + x",
        "print(f\"loss {loss:.3f} at step {step}\")", "SELECT name, COUNT(*) FROM users GROUP BY name;",
    ];
    static readonly string[] Emoji = ["🙂", "🚀", "🎉", "👍", "🌍", "❤️"];

    /// <summary>At least <paramref name="utf8Bytes"/> bytes of text; the same seed gives the same text.</summary>
    public static string Generate(int utf8Bytes, int seed = 1234)
    {
        var random = new Random(seed);
        var lexicon = new List<string>(Common);
        lexicon.AddRange(Foreign);
        var seen = new HashSet<string>(lexicon);
        while (lexicon.Count < 60_000)
        {
            var w = new StringBuilder();
            int syllables = 1 + random.Next(4);
            for (int s = 0; s < syllables; s++)
                w.Append(Onsets[random.Next(Onsets.Length)]).Append(Vowels[random.Next(Vowels.Length)]).Append(Codas[random.Next(Codas.Length)]);
            if (seen.Add(w.ToString())) lexicon.Add(w.ToString());
        }
        // Zipf: the word of rank r is drawn with probability proportional to 1 / (r + 2.7).
        var cumulative = new double[lexicon.Count];
        double total = 0;
        for (int r = 0; r < lexicon.Count; r++) cumulative[r] = total += 1.0 / (r + 2.7);
        string Word()
        {
            int i = Array.BinarySearch(cumulative, random.NextDouble() * total);
            return lexicon[i < 0 ? Math.Min(~i, lexicon.Count - 1) : i];
        }

        var text = new StringBuilder(utf8Bytes + 1024);
        long bytes = 0;
        while (bytes < utf8Bytes)
        {
            int start = text.Length;
            int sentences = 2 + random.Next(6);
            for (int s = 0; s < sentences; s++)
            {
                int words = 4 + random.Next(16);
                for (int k = 0; k < words; k++)
                {
                    if (k > 0) text.Append(random.Next(12) == 0 ? ", " : " ");
                    var word = Word();
                    text.Append(k == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                    switch (random.Next(60))
                    {
                        case 0: text.Append(' ').Append(random.Next(1700, 2030)); break;
                        case 1: text.Append(" $").Append(random.Next(1, 1000)).Append('.').Append(random.Next(10, 100)); break;
                        case 2: text.Append(" (").Append(Word()).Append(')'); break;
                        case 3: text.Append(' ').Append(random.Next(1, 100_000).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)); break;
                        case 4: text.Append("'s"); break;
                    }
                }
                text.Append(random.Next(10) switch { 0 => "?", 1 => "!", 2 => " " + Emoji[random.Next(Emoji.Length)] + ".", _ => "." });
                text.Append(' ');
            }
            if (random.Next(15) == 0) text.Append('\n').Append(Code[random.Next(Code.Length)]);
            text.Append("\n\n");
            bytes += Encoding.UTF8.GetByteCount(text.ToString(start, text.Length - start));
        }
        return text.ToString();
    }
}
