using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmCourse.Tokenization;

/// <summary>
/// The course's own byte-level BPE tokenizer (in the spirit of minbpe's Basic and Regex tokenizers).
/// Ids 0..255 are the raw bytes; every learned merge adds one id (256, 257, ...); special tokens
/// such as &lt;|endoftext|&gt; get ids after that and are encoded only when a caller allows them.
/// </summary>
public sealed class BpeTokenizer : ITokenizer
{
    readonly List<byte[]> vocab;                                // id -> bytes, for ids below MergeableCount
    readonly Dictionary<long, int> mergeIds = new(BpeTrainer.PairKeyComparer.Instance);            // (left, right) -> new id; lower id = earlier merge
    readonly Dictionary<string, int> specialTokens;
    readonly Dictionary<int, string> specialNames;
    readonly Regex? specialRegex;
    readonly Dictionary<string, int[]> cache = new();

    public BpeTokenizer(IEnumerable<Merge> merges, string pattern = SplitPatterns.Gpt4,
        IReadOnlyDictionary<string, int>? specialTokens = null, string? name = null)
    {
        Merges = merges.ToList();
        Pattern = pattern;
        vocab = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToList();
        foreach (var m in Merges)
        {
            if (m.Id != vocab.Count) throw new ArgumentException($"Merge {m.Left}+{m.Right} has id {m.Id}; the next free id is {vocab.Count}.");
            if (m.Left >= m.Id || m.Right >= m.Id) throw new ArgumentException($"Merge {m.Id} uses an id not defined before it ({m.Left}+{m.Right}).");
            vocab.Add([.. vocab[m.Left], .. vocab[m.Right]]);
            mergeIds[Key(m.Left, m.Right)] = m.Id;
        }
        this.specialTokens = new(specialTokens ?? new Dictionary<string, int>());
        foreach (var (special, id) in this.specialTokens)
            if (id < vocab.Count) throw new ArgumentException($"Special token {special} has id {id}, which belongs to a regular token (ids below {vocab.Count}).");
        specialNames = this.specialTokens.ToDictionary(kv => kv.Value, kv => kv.Key);
        if (specialNames.Count != this.specialTokens.Count) throw new ArgumentException("Two special tokens share an id.");
        if (this.specialTokens.Count > 0)
            specialRegex = new Regex(string.Join("|", this.specialTokens.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)));
        Name = name ?? (Merges.Count == 0 ? "UTF-8 bytes" : $"course BPE {vocab.Count}");
    }

    /// <summary>
    /// Trains on <paramref name="text"/> until the vocabulary has <paramref name="vocabSize"/> ids
    /// (256 bytes + vocabSize - 256 merges). <paramref name="pattern"/> is the pre-split regex;
    /// <see cref="SplitPatterns.None"/> trains on the text as one sequence.
    /// </summary>
    public static BpeTokenizer Train(string text, int vocabSize, string pattern = SplitPatterns.Gpt4, string? name = null,
        Action<Merge>? onMerge = null)
    {
        if (vocabSize < 256) throw new ArgumentOutOfRangeException(nameof(vocabSize), "A byte-level vocabulary has at least 256 ids.");
        return new BpeTokenizer(BpeTrainer.Train(text, vocabSize - 256, pattern, onMerge), pattern, name: name);
    }

    /// <summary>The 256-token tokenizer every byte-level BPE starts from: one token per UTF-8 byte.</summary>
    public static BpeTokenizer Bytes { get; } = new([], SplitPatterns.None, name: "UTF-8 bytes");

    public string Name { get; }
    public string Pattern { get; }
    public IReadOnlyList<Merge> Merges { get; }
    public IReadOnlyDictionary<string, int> SpecialTokens => specialTokens;

    /// <summary>Ids of ordinary tokens: 256 bytes + one per merge.</summary>
    public int MergeableCount => vocab.Count;

    /// <summary>All ids, special tokens included (highest id + 1).</summary>
    public int VocabSize => specialNames.Count == 0 ? vocab.Count : Math.Max(vocab.Count, specialNames.Keys.Max() + 1);

    /// <summary>
    /// A copy with special tokens added, given ids right after the current vocabulary.
    /// e.g. <c>tok.WithSpecialTokens("&lt;|endoftext|&gt;")</c>.
    /// </summary>
    public BpeTokenizer WithSpecialTokens(params string[] names)
    {
        var all = new Dictionary<string, int>(specialTokens);
        foreach (var special in names)
            if (!all.ContainsKey(special)) all[special] = VocabSize + all.Count - specialTokens.Count;
        return new BpeTokenizer(Merges, Pattern, all, Name);
    }

    /// <summary>
    /// The same tokenizer stopped earlier in training: only the first <paramref name="vocabSize"/> - 256
    /// merges (BPE's merges are a sequence, so a smaller vocabulary is a prefix of a bigger one).
    /// </summary>
    public BpeTokenizer WithVocabSize(int vocabSize) =>
        new(Merges.Take(Math.Max(0, vocabSize - 256)), Pattern, name: vocabSize <= 256 ? "UTF-8 bytes" : $"course BPE {vocabSize}");

    /// <summary>Encodes text as ordinary text: a special token's name in it is just characters.</summary>
    public IReadOnlyList<int> Encode(string text) => Encode(text, allowSpecial: false);

    /// <summary>With <paramref name="allowSpecial"/>, registered special-token names in the text become their ids.</summary>
    public IReadOnlyList<int> Encode(string text, bool allowSpecial)
    {
        var ids = new List<int>();
        if (!allowSpecial || specialRegex is null)
        {
            EncodeOrdinary(text, ids);
            return ids;
        }
        int at = 0;
        foreach (Match m in specialRegex.Matches(text))
        {
            EncodeOrdinary(text[at..m.Index], ids);
            ids.Add(specialTokens[m.Value]);
            at = m.Index + m.Length;
        }
        EncodeOrdinary(text[at..], ids);
        return ids;
    }

    void EncodeOrdinary(string text, List<int> ids)
    {
        foreach (var chunk in SplitPatterns.Split(text, Pattern))
        {
            int[]? chunkIds;
            lock (cache) cache.TryGetValue(chunk, out chunkIds);
            if (chunkIds is null)
            {
                chunkIds = EncodeChunk(Encoding.UTF8.GetBytes(chunk)).ToArray();
                if (chunk.Length <= 64)
                    lock (cache) { if (cache.Count > 200_000) cache.Clear(); cache[chunk] = chunkIds; }
            }
            ids.AddRange(chunkIds);
        }
    }

    /// <summary>
    /// minbpe-style encoding of one chunk: start from its bytes and keep applying the earliest learned
    /// merge present among adjacent pairs, until no learned pair is left. (tiktoken instead merges the
    /// adjacent pair whose joined bytes have the lowest rank; see the tests for where that differs.)
    /// </summary>
    public List<int> EncodeChunk(ReadOnlySpan<byte> bytes)
    {
        var ids = new List<int>(bytes.Length);
        foreach (var b in bytes) ids.Add(b);
        while (ids.Count >= 2)
        {
            int best = int.MaxValue;
            for (int i = 0; i + 1 < ids.Count; i++)
                if (mergeIds.TryGetValue(Key(ids[i], ids[i + 1]), out var id) && id < best) best = id;
            if (best == int.MaxValue) break;
            var m = Merges[best - 256];
            ids = NaiveBpe.MergePair(ids, m.Left, m.Right, m.Id);
        }
        return ids;
    }

    /// <summary>
    /// Ids back to text. Bytes that do not form whole UTF-8 characters (e.g. ids cut in the middle of
    /// an emoji) become U+FFFD replacement characters, as in the reference tokenizers; it never throws
    /// for that. An id outside the vocabulary is an error.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids) bytes.AddRange(TokenBytes(id));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public byte[] TokenBytes(int id)
    {
        if (id >= 0 && id < vocab.Count) return vocab[id];
        if (specialNames.TryGetValue(id, out var special)) return Encoding.UTF8.GetBytes(special);
        throw new ArgumentOutOfRangeException(nameof(id), id, $"{Name} has no token with id {id} (ids 0..{VocabSize - 1}).");
    }

    /// <summary>A token as readable text: 'the', ' the', '\n', or its bytes in hex when it is not whole UTF-8.</summary>
    public string Show(int id) => TokenText.Show(TokenBytes(id));

    /// <summary>"step 3: ' t' + 'he' -> 259 (' the', seen 1,234 times)" for a notebook's replay of training.</summary>
    public string Describe(Merge m) =>
        $"step {m.Step}: {Show(m.Left)} + {Show(m.Right)} -> {m.Id} ({Show(m.Id)}{(m.Count > 0 ? $", seen {m.Count:N0} times" : "")})";

    public override string ToString() => $"{Name}: {VocabSize:N0} ids ({Merges.Count:N0} merges, {specialTokens.Count} special)";

    static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    // ---- Save / load --------------------------------------------------------------------------

    /// <summary>
    /// Saves two files: <paramref name="path"/> in tiktoken's rank-file format (loadable by
    /// Microsoft.ML.Tokenizers' TiktokenTokenizer and by tiktoken itself), and beside it
    /// <c>path + ".json"</c> with what the rank file cannot hold: name, split pattern, special
    /// tokens, and the merge list (which pair made each token, and its count), one merge per line.
    /// </summary>
    public void Save(string path)
    {
        TiktokenFile.Write(path, vocab);
        using var w = new StreamWriter(SidecarPath(path), false, new UTF8Encoding(false)) { NewLine = "\n" };
        w.WriteLine("{");
        w.WriteLine($"  \"format\": {Json(SidecarFormat)},");
        w.WriteLine($"  \"name\": {Json(Name)},");
        w.WriteLine($"  \"pattern\": {Json(Pattern)},");
        w.WriteLine($"  \"tokens\": {vocab.Count},");
        w.WriteLine($"  \"specialTokens\": {{{string.Join(", ", specialTokens.OrderBy(kv => kv.Value).Select(kv => $"{Json(kv.Key)}: {kv.Value}"))}}},");
        w.WriteLine("  \"merges\": [");
        for (int k = 0; k < Merges.Count; k++)
            w.WriteLine($"    [{Merges[k].Left}, {Merges[k].Right}, {Merges[k].Count}]{(k + 1 < Merges.Count ? "," : "")}");
        w.WriteLine("  ]");
        w.WriteLine("}");
    }

    public const string SidecarFormat = "llmcourse-bpe/1";
    public static string SidecarPath(string path) => path + ".json";
    // Relaxed escaping keeps the regex readable in the file ("'" and "+" rather than \u0027 and \u002B).
    static string Json(string s) => JsonSerializer.Serialize(s, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Loads what <see cref="Save"/> wrote; a damaged file gives an error naming the file and line.</summary>
    public static BpeTokenizer Load(string path)
    {
        var sidecar = SidecarPath(path);
        if (!File.Exists(sidecar)) throw new FileNotFoundException($"{sidecar} is missing: it holds the split pattern and merges that go with {path}.", sidecar);
        var ranks = TiktokenFile.Read(path);

        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(sidecar)); }
        catch (JsonException e) { throw TiktokenFile.Corrupt(sidecar, (int)(e.LineNumber ?? 0) + 1, e.Message); }
        using var _ = doc;
        var root = doc.RootElement;
        string Str(string property) =>
            root.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
                : throw new InvalidDataException($"{sidecar}: missing \"{property}\". The tokenizer file is corrupted; regenerate it.");
        if (Str("format") != SidecarFormat)
            throw new InvalidDataException($"{sidecar}: format \"{Str("format")}\" is not {SidecarFormat}.");
        int tokens = root.TryGetProperty("tokens", out var t) && t.TryGetInt32(out var n) ? n
            : throw new InvalidDataException($"{sidecar}: missing \"tokens\". The tokenizer file is corrupted; regenerate it.");

        for (int id = 0; id < tokens; id++)
            if (!ranks.ContainsKey(id))
                throw TiktokenFile.Corrupt(path, id + 1, ranks.Count < tokens
                    ? $"the file has {ranks.Count} tokens but {Path.GetFileName(sidecar)} says {tokens}; token {id} is missing"
                    : $"token {id} is missing");
        if (ranks.Count != tokens)
            throw TiktokenFile.Corrupt(path, tokens + 1, $"the file has {ranks.Count} tokens but {Path.GetFileName(sidecar)} says {tokens}");
        for (int id = 0; id < 256; id++)
            if (ranks[id] is not [var b] || b != id)
                throw TiktokenFile.Corrupt(path, id + 1, $"token {id} should be the single byte {id}");

        var merges = new List<Merge>();
        var mergeArray = root.GetProperty("merges");
        foreach (var m in mergeArray.EnumerateArray())
        {
            int id = 256 + merges.Count;
            if (m.GetArrayLength() != 3) throw new InvalidDataException($"{sidecar}: merge for token {id} is not [left, right, count].");
            int left = m[0].GetInt32(), right = m[1].GetInt32();
            long count = m[2].GetInt64();
            if (left >= id || right >= id || left < 0 || right < 0)
                throw new InvalidDataException($"{sidecar}: merge for token {id} uses undefined ids {left}, {right}.");
            if (!ranks[left].Concat(ranks[right]).SequenceEqual(ranks[id]))
                throw TiktokenFile.Corrupt(path, id + 1, $"token {id}'s bytes are not token {left} + token {right} as {Path.GetFileName(sidecar)} says");
            merges.Add(new Merge(left, right, id, count));
        }
        if (256 + merges.Count != tokens)
            throw new InvalidDataException($"{sidecar}: {merges.Count} merges for {tokens} tokens (expected {tokens - 256}). The tokenizer file is corrupted; regenerate it.");

        var specials = new Dictionary<string, int>();
        if (root.TryGetProperty("specialTokens", out var sp))
            foreach (var p in sp.EnumerateObject()) specials[p.Name] = p.Value.GetInt32();
        return new BpeTokenizer(merges, Str("pattern"), specials, Str("name"));
    }
}
