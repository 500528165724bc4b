using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>
/// Deterministic English-like text with many distinct words, for benchmarking BPE training before
/// (or without) the course corpus. Words follow a Zipf law: 85% from some 700 real English words and a few
/// French, German and Spanish words with accents, 15% from 60,000 pronounceable made-up words, so chunk deduplication helps the trainer about as much as it does on real text
/// (repeating a few paragraphs would make it trivially fast). Sentences mix in numbers, prices,
/// years, punctuation, the odd line of code and emoji.
/// </summary>
public static class SyntheticText
{
    // Real English words, roughly by frequency (the most common few hundred words of English text).
    static readonly string[] Common =
        ("the of and to a in is it you that he was for on are with as I his they be at one have this from or had by not word but what " +
         "some we can out other were all there when up use your how said an each she which do their time if will way about many then them " +
         "write would like so these her long make thing see him two has look more day could go come did number sound no most people my over " +
         "know water than call first who may down side been now find any new work part take get place made live where after back little only " +
         "round man year came show every good me give our under name very through just form sentence great think say help low line differ turn " +
         "cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large " +
         "spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal " +
         "point mother world near build self earth father head stand own page should country found answer school grow study still learn plant " +
         "cover food sun four between state keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late " +
         "run while press close night real life few north open seem together next white children begin got walk example ease paper group always " +
         "music those both mark often letter until mile river car feet care second book carry took science eat room friend began idea fish " +
         "mountain stop once base hear horse cut sure watch color face wood main enough plain girl usual young ready above ever red list though " +
         "feel talk bird soon body dog family direct pose leave song measure door product black short numeral class wind question happen complete " +
         "ship area half rock order fire south problem piece told knew pass since top whole king space heard best hour better true during hundred " +
         "five remember step early hold west ground interest reach fast verb sing listen six table travel less morning ten simple several vowel " +
         "toward war lay against pattern slow center love person money serve appear road map rain rule govern pull cold notice voice unit power " +
         "town fine certain fly fall lead cry dark machine note wait plan figure star box noun field rest correct able pound done beauty drive " +
         "stood contain front teach week final gave green quick develop ocean warm free minute strong special mind behind clear tail produce fact " +
         "street inch multiply nothing course stay wheel full force blue object decide surface deep moon island foot system busy test record boat " +
         "common gold possible plane stead dry wonder laugh thousand ago ran check game shape equate miss brought heat snow tire bring yes distant " +
         "fill east paint language among model token training data text learning network computer paris france capital wedding toast").Split(' ');
    static readonly string[] Foreign =
        ("le la les des est une dans pour avec être très français élève café où déjà über für schön Straße Größe Mädchen " +
         "können würde Übung el los las una por más está también años niño señor corazón canción después él qué cómo").Split(' ');

    static readonly string[] Onsets = ["", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "ch", "sh", "th", "pl", "br", "gr", "qu"];
    static readonly string[] Vowels = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "ou", "y"];
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
        // Zipf: the word of rank r is drawn with probability proportional to 1 / (r + 2.7). Real words
        // make 85% of the text, made-up words (in their own Zipf order) the other 15%.
        int real = Common.Length + Foreign.Length;
        double[] Zipf(int n)
        {
            var cumulative = new double[n];
            double total = 0;
            for (int r = 0; r < n; r++) cumulative[r] = total += 1.0 / (r + 2.7);
            return cumulative;
        }
        var realWords = Zipf(real);
        var madeUpWords = Zipf(lexicon.Count - real);
        int Draw(double[] cumulative)
        {
            int i = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
            return i < 0 ? Math.Min(~i, cumulative.Length - 1) : i;
        }
        string Word() => random.NextDouble() < 0.85 ? lexicon[Draw(realWords)] : lexicon[real + Draw(madeUpWords)];

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
