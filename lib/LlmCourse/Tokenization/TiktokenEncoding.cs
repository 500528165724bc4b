using System.IO.Compression;
using System.Reflection;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace LlmCourse.Tokenization;

/// <summary>
/// A tiktoken-style tokenizer run by Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/>: the real
/// GPT encodings (<see cref="Cl100kBase"/> for GPT-4, <see cref="O200kBase"/> for GPT-4o) or one of our
/// own saved files (<see cref="FromFile"/>). Like <see cref="BpeTokenizer"/>, special tokens are only
/// recognised when a caller allows them.
/// </summary>
public sealed class TiktokenEncoding : ITokenizer
{
    readonly TiktokenTokenizer ordinary;      // no special tokens: "<|endoftext|>" is just text
    readonly TiktokenTokenizer withSpecial;
    readonly Dictionary<int, byte[]> bytesById;
    readonly Dictionary<int, string> specialNames;

    TiktokenEncoding(string name, string pattern, byte[] rankFile, Dictionary<int, byte[]> bytesById, IReadOnlyDictionary<string, int> specialTokens)
    {
        Name = name;
        Pattern = pattern;
        this.bytesById = bytesById;
        SpecialTokens = specialTokens;
        specialNames = specialTokens.ToDictionary(kv => kv.Value, kv => kv.Key);
        // No split ("basic") means the whole text is one chunk; an empty regex would match nothing useful.
        var regex = SplitPatterns.Compile(pattern.Length == 0 ? @"[\s\S]+" : pattern);
        ordinary = TiktokenTokenizer.Create(new MemoryStream(rankFile), new RegexPreTokenizer(regex, null), null, null);
        withSpecial = specialTokens.Count == 0 ? ordinary
            : TiktokenTokenizer.Create(new MemoryStream(rankFile), new RegexPreTokenizer(regex, specialTokens.ToDictionary()), null, specialTokens.ToDictionary());
        // The vocabulary size as the tokenizer defines it: every id up to the highest one in use.
        VocabSize = Math.Max(bytesById.Keys.Max(), specialNames.Count > 0 ? specialNames.Keys.Max() : 0) + 1;
    }

    static readonly Lazy<TiktokenEncoding> cl100k = new(() => FromPackage("cl100k_base", "Microsoft.ML.Tokenizers.Data.Cl100kBase", SplitPatterns.Gpt4,
        new() { ["<|endoftext|>"] = 100257, ["<|fim_prefix|>"] = 100258, ["<|fim_middle|>"] = 100259, ["<|fim_suffix|>"] = 100260, ["<|endofprompt|>"] = 100276 }));
    static readonly Lazy<TiktokenEncoding> o200k = new(() => FromPackage("o200k_base", "Microsoft.ML.Tokenizers.Data.O200kBase", SplitPatterns.Gpt4o,
        new() { ["<|endoftext|>"] = 199999, ["<|endofprompt|>"] = 200018 }));

    /// <summary>GPT-4's (and GPT-3.5-turbo's) tokenizer: 100,277 ids.</summary>
    public static TiktokenEncoding Cl100kBase => cl100k.Value;

    /// <summary>GPT-4o's tokenizer: about 200K ids, more of them for languages other than English.</summary>
    public static TiktokenEncoding O200kBase => o200k.Value;

    /// <summary>
    /// Loads a tokenizer our <see cref="BpeTokenizer.Save"/> wrote, but runs it with Microsoft.ML.Tokenizers
    /// (rank-based merging, as tiktoken does) instead of our code. The split pattern and special tokens
    /// come from the sidecar <c>path + ".json"</c>.
    /// </summary>
    public static TiktokenEncoding FromFile(string path)
    {
        var ours = BpeTokenizer.Load(path);   // validates both files, with line numbers on errors
        var bytes = File.ReadAllBytes(path);
        return new TiktokenEncoding(ours.Name + " (via Microsoft.ML.Tokenizers)", ours.Pattern, bytes,
            TiktokenFile.Read(new MemoryStream(bytes), path), ours.SpecialTokens);
    }

    static TiktokenEncoding FromPackage(string name, string assemblyName, string pattern, Dictionary<string, int> specials)
    {
        // The data packages embed OpenAI's rank file, deflated; we read it ourselves to know each id's exact bytes.
        var assembly = Assembly.Load(assemblyName);
        using var resource = assembly.GetManifestResourceStream(name + ".tiktoken.deflate")
            ?? throw new InvalidOperationException($"{assemblyName} does not contain {name}.tiktoken.deflate");
        // Their packed layout is a "Capacity: N" line, then one base64 token per line, rank = line index;
        // we turn it back into the standard "<base64> <rank>" rank file.
        using var reader = new StreamReader(new DeflateStream(resource, CompressionMode.Decompress), Encoding.UTF8);
        var standard = new StringBuilder();
        int rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (rank == 0 && line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            standard.Append(line.Contains(' ') ? line : $"{line} {rank}").Append('\n');
            rank++;
        }
        var rankFile = Encoding.UTF8.GetBytes(standard.ToString());
        return new TiktokenEncoding(name, pattern, rankFile, TiktokenFile.Read(new MemoryStream(rankFile), name + ".tiktoken"), specials);
    }

    public string Name { get; }
    public string Pattern { get; }
    public int VocabSize { get; }
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>Microsoft.ML.Tokenizers' own tokenizer behind this one (ordinary text, or special tokens allowed).</summary>
    public TiktokenTokenizer Inner(bool allowSpecial = false) => allowSpecial ? withSpecial : ordinary;

    public IReadOnlyList<int> Encode(string text) => ordinary.EncodeToIds(text);

    public IReadOnlyList<int> Encode(string text, bool allowSpecial) => (allowSpecial ? withSpecial : ordinary).EncodeToIds(text);

    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids) bytes.AddRange(TokenBytes(id));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public byte[] TokenBytes(int id) =>
        bytesById.TryGetValue(id, out var bytes) ? bytes
        : specialNames.TryGetValue(id, out var special) ? Encoding.UTF8.GetBytes(special)
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"{Name} has no token with id {id}.");

    public override string ToString() => $"{Name}: {VocabSize:N0} ids";
}
