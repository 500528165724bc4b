using System.Text;

namespace LlmCourse.Tokenization;

/// <summary>
/// tiktoken's "rank file": one token per line, its bytes in base64, a space, its rank (= its id),
/// e.g. <c>IHRoZQ== 279</c> is " the" with id 279. OpenAI ships cl100k_base and o200k_base this way,
/// and Microsoft.ML.Tokenizers' TiktokenTokenizer reads it. The file holds no split pattern and no
/// special tokens: whoever loads it must supply them.
/// </summary>
public static class TiktokenFile
{
    /// <summary>Writes the tokens in id order, one line each.</summary>
    public static void Write(string path, IReadOnlyList<byte[]> tokenBytesById)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        for (int id = 0; id < tokenBytesById.Count; id++)
            writer.WriteLine($"{Convert.ToBase64String(tokenBytesById[id])} {id}");
    }

    /// <summary>Reads a rank file into id -> bytes. Errors name the file and the line.</summary>
    public static Dictionary<int, byte[]> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer file not found: {path}", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a rank file from a stream; <paramref name="source"/> names it in error messages.</summary>
    public static Dictionary<int, byte[]> Read(Stream stream, string source)
    {
        var tokens = new Dictionary<int, byte[]>();
        var seen = new Dictionary<string, int>();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var space = line.IndexOf(' ');
            if (space <= 0 || space != line.LastIndexOf(' '))
                throw Corrupt(source, lineNumber, $"expected \"<base64 bytes> <rank>\", found \"{Shorten(line)}\"");
            var base64 = line[..space];
            byte[] bytes;
            try { bytes = Convert.FromBase64String(base64); }
            catch (FormatException) { throw Corrupt(source, lineNumber, $"\"{Shorten(base64)}\" is not valid base64"); }
            if (!int.TryParse(line[(space + 1)..], System.Globalization.NumberStyles.None, null, out var rank))
                throw Corrupt(source, lineNumber, $"rank \"{Shorten(line[(space + 1)..])}\" is not a non-negative integer");
            if (tokens.ContainsKey(rank))
                throw Corrupt(source, lineNumber, $"rank {rank} appears twice");
            if (seen.TryGetValue(base64, out var other))
                throw Corrupt(source, lineNumber, $"the same bytes already have rank {other}");
            seen[base64] = rank;
            tokens[rank] = bytes;
        }
        return tokens;
    }

    internal static InvalidDataException Corrupt(string source, int line, string problem) =>
        new($"{source}, line {line}: {problem}. The tokenizer file is corrupted or truncated; regenerate it.");

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
