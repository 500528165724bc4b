using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmCourse.Notebooks.Jupyter;

/// <summary>A connection file that cannot be used: says which file and what is wrong with it.</summary>
public sealed class ConnectionFileException(string path, string problem) : Exception($"{path}: {problem}");

/// <summary>
/// The connection file a Jupyter front end hands a kernel (<c>-f FILE</c>): where the five channels listen
/// and the key that signs every message.
/// </summary>
public sealed record ConnectionInfo(
    string Transport, string IP, int ShellPort, int IOPubPort, int StdinPort, int ControlPort, int HBPort,
    string Key, string SignatureScheme = ConnectionInfo.HmacSha256)
{
    public const string HmacSha256 = "hmac-sha256";

    public string Address(int port) => $"{Transport}://{IP}:{port}";

    public static ConnectionInfo Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ConnectionFileException(path, $"cannot read it: {e.Message}"); }
        JsonObject json;
        try { json = JsonNode.Parse(text) as JsonObject ?? throw new ConnectionFileException(path, "it is not a JSON object"); }
        catch (JsonException e) { throw new ConnectionFileException(path, $"it is not valid JSON ({e.Message})"); }

        string Text(string key, string? fallback = null) =>
            json[key] is JsonValue v && v.TryGetValue(out string? s) ? s
            : fallback ?? throw new ConnectionFileException(path, $"\"{key}\" is missing or not a string");
        int Port(string key) =>
            json[key] is JsonValue v && v.TryGetValue(out int p) && p is > 0 and < 65536 ? p
            : throw new ConnectionFileException(path, $"\"{key}\" is missing or not a port number");

        var info = new ConnectionInfo(Text("transport", "tcp"), Text("ip", "127.0.0.1"), Port("shell_port"), Port("iopub_port"),
            Port("stdin_port"), Port("control_port"), Port("hb_port"), Text("key", ""), Text("signature_scheme", HmacSha256));
        if (info.Transport != "tcp")
            throw new ConnectionFileException(path, $"transport \"{info.Transport}\" is not supported; this kernel listens on tcp only");
        if (info.Key.Length > 0 && info.SignatureScheme != HmacSha256)
            throw new ConnectionFileException(path, $"signature scheme \"{info.SignatureScheme}\" is not supported; use {HmacSha256}");
        return info;
    }

    public void Save(string path)
    {
        var json = new JsonObject
        {
            ["transport"] = Transport, ["ip"] = IP, ["shell_port"] = ShellPort, ["iopub_port"] = IOPubPort,
            ["stdin_port"] = StdinPort, ["control_port"] = ControlPort, ["hb_port"] = HBPort,
            ["key"] = Key, ["signature_scheme"] = SignatureScheme, ["kernel_name"] = KernelSpec.DefaultName,
        };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Five free ports on the loopback interface and a fresh random key, as jupyter_client picks them.</summary>
    public static ConnectionInfo ForLocalhost()
    {
        var listeners = Enumerable.Range(0, 5).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
