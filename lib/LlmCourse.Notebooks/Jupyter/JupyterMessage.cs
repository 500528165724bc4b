using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmCourse.Notebooks.Jupyter;

/// <summary>
/// One message of the Jupyter messaging protocol (version 5.3): header, parent header, metadata, content,
/// and the routing identities it came with (or goes to).
/// </summary>
public sealed record JupyterMessage(
    JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content, IReadOnlyList<byte[]> Identities)
{
    public const string ProtocolVersion = "5.3";

    public string Type => Text(Header, "msg_type") ?? "";
    public string Id => Text(Header, "msg_id") ?? "";
    public string? ParentId => Text(ParentHeader, "msg_id");

    /// <summary>A new message; a reply or an iopub message names the request it answers as its parent.</summary>
    public static JupyterMessage Create(string type, JsonObject content, string session, JupyterMessage? parent = null,
        JsonObject? metadata = null, IReadOnlyList<byte[]>? identities = null) =>
        new(new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString("N"),
                ["session"] = session,
                ["username"] = "llmcourse",
                ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                ["msg_type"] = type,
                ["version"] = ProtocolVersion,
            },
            parent?.Header.DeepClone().AsObject() ?? [],
            metadata ?? [],
            content,
            identities ?? parent?.Identities ?? []);

    public static string? Text(JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public string? ContentText(string key) => Text(Content, key);

    public bool ContentFlag(string key, bool fallback) =>
        Content[key] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;
}

/// <summary>
/// The protocol's wire format: identities, the delimiter <c>&lt;IDS|MSG&gt;</c>, the HMAC-SHA256 signature of
/// the four JSON frames, the frames, then any binary buffers. A message whose signature does not match,
/// or that repeats one already seen (a replay), is refused.
/// </summary>
public sealed class WireFormat(string key)
{
    static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    readonly byte[] _key = Encoding.UTF8.GetBytes(key);
    readonly HashSet<string> _seen = [];
    readonly Queue<string> _seenOrder = new();
    const int RememberedSignatures = 1 << 16;

    public bool Signs => _key.Length > 0;

    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[][] parts =
        [
            JsonBytes(message.Header), JsonBytes(message.ParentHeader), JsonBytes(message.Metadata), JsonBytes(message.Content),
        ];
        var frames = new List<byte[]>(message.Identities.Count + 6);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(Sign(parts)));
        frames.AddRange(parts);
        return frames;
    }

    /// <summary>The message in the frames, or null with the reason it was refused.</summary>
    public JupyterMessage? Decode(IReadOnlyList<byte[]> frames, out string? problem)
    {
        problem = null;
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        if (delimiter < 0 || frames.Count < delimiter + 6) { problem = "not a Jupyter message (no <IDS|MSG> delimiter and five frames after it)"; return null; }

        var parts = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        if (Signs)
        {
            var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
            var expected = Sign(parts);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(expected)))
            { problem = "bad signature"; return null; }
            lock (_seen)
            {
                if (!_seen.Add(signature)) { problem = "a replayed message (its signature was seen before)"; return null; }
                _seenOrder.Enqueue(signature);
                if (_seenOrder.Count > RememberedSignatures) _seen.Remove(_seenOrder.Dequeue());
            }
        }
        try
        {
            var json = parts.Select(p => JsonNode.Parse(p) as JsonObject).ToArray();
            if (json.Any(j => j is null)) { problem = "a header, metadata or content frame is not a JSON object"; return null; }
            return new JupyterMessage(json[0]!, json[1]!, json[2]!, json[3]!, frames.Take(delimiter).ToList());
        }
        catch (JsonException e) { problem = $"a frame is not valid JSON ({e.Message})"; return null; }
    }

    string Sign(byte[][] parts)
    {
        if (!Signs) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (var part in parts) hmac.AppendData(part);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // HTML outputs stay compact
    };

    static byte[] JsonBytes(JsonObject o) => JsonSerializer.SerializeToUtf8Bytes(o, Compact);
}
