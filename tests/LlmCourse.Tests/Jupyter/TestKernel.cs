using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LlmCourse.Cli.Commands;
using NetMQ;
using NetMQ.Sockets;

namespace LlmCourse.Tests.Jupyter;

/// <summary>One protocol message as the tests see it.</summary>
public sealed record Message(string Type, JsonObject Header, JsonObject Parent, JsonObject Metadata, JsonObject Content)
{
    public string Id => Header["msg_id"]!.GetValue<string>();
    public string? ParentId => Parent["msg_id"]?.GetValue<string>();
}

/// <summary>
/// A real `llmcourse kernel` process and a minimal Jupyter client for it, written here from the protocol's
/// specification (its own wire format and HMAC signing, not the course's), so that the kernel is checked
/// against an independent implementation. Sockets are used from the test's thread only.
/// </summary>
public sealed class TestKernel : IDisposable
{
    static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // The key is the connection file's string; its bytes (not the hex's value) key the HMAC.
    readonly byte[] _key = Hex(RandomNumberGenerator.GetBytes(16));
    readonly string _session = Guid.NewGuid().ToString();
    readonly string _connectionFile;
    readonly StringBuilder _kernelOutput = new();
    public Process Process { get; }
    public DealerSocket Shell { get; } = new();
    public DealerSocket Control { get; } = new();
    public DealerSocket Stdin { get; } = new();
    public SubscriberSocket IOPub { get; } = new();
    public RequestSocket Heartbeat { get; } = new();

    public string KernelOutput { get { lock (_kernelOutput) return _kernelOutput.ToString(); } }

    public TestKernel()
    {
        var ports = FreePorts(5);
        _connectionFile = TestPaths.TempFile("connection.json");
        File.WriteAllText(_connectionFile, new JsonObject
        {
            ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["shell_port"] = ports[0], ["iopub_port"] = ports[1],
            ["stdin_port"] = ports[2], ["control_port"] = ports[3], ["hb_port"] = ports[4],
            ["key"] = Encoding.ASCII.GetString(_key), ["signature_scheme"] = "hmac-sha256",
        }.ToJsonString());

        var launcher = KernelCommands.Launcher();
        var start = new ProcessStartInfo(launcher.Argv[0])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(_connectionFile)!,
        };
        foreach (var a in launcher.Argv.Skip(1)) start.ArgumentList.Add(a.Replace("{connection_file}", _connectionFile));
        start.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString();
        Process = Process.Start(start)!;
        Process.OutputDataReceived += (_, e) => { lock (_kernelOutput) _kernelOutput.AppendLine(e.Data); };
        Process.ErrorDataReceived += (_, e) => { lock (_kernelOutput) _kernelOutput.AppendLine(e.Data); };
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();

        var identity = Encoding.ASCII.GetBytes(_session);
        Shell.Options.Identity = identity;   // stdin must share the shell's identity: input requests are routed by it
        Stdin.Options.Identity = identity;
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, IOPub, Heartbeat }) socket.Options.Linger = TimeSpan.Zero;
        Shell.Connect($"tcp://127.0.0.1:{ports[0]}");
        IOPub.Connect($"tcp://127.0.0.1:{ports[1]}");
        IOPub.SubscribeToAnyTopic();
        Stdin.Connect($"tcp://127.0.0.1:{ports[2]}");
        Control.Connect($"tcp://127.0.0.1:{ports[3]}");
        Heartbeat.Connect($"tcp://127.0.0.1:{ports[4]}");
        WaitUntilReady();
    }

    /// <summary>Until a kernel_info request is answered and its status messages reach the iopub subscription.</summary>
    void WaitUntilReady()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            Assert.False(Process.HasExited, $"the kernel exited with code {(Process.HasExited ? Process.ExitCode : 0)}: {KernelOutput}");
            var id = Send(Shell, "kernel_info_request", []);
            if (TryReceive(Shell, TimeSpan.FromSeconds(1)) is null) continue;
            var heard = false;
            while (TryReceive(IOPub, TimeSpan.FromMilliseconds(300)) is { } m) heard |= m.ParentId == id;
            if (heard) return;
        }
        Assert.Fail($"the kernel did not become ready within {Patience.TotalSeconds} s: {KernelOutput}");
    }

    public List<byte[]> Frames(string type, JsonObject content, JsonObject? parent = null, bool badSignature = false)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString(), ["session"] = _session, ["username"] = "test",
            ["date"] = DateTime.UtcNow.ToString("o"), ["msg_type"] = type, ["version"] = "5.3",
        };
        byte[][] parts = [Utf8(header), Utf8(parent ?? []), Utf8([]), Utf8(content)];
        using var hmac = new HMACSHA256(badSignature ? RandomNumberGenerator.GetBytes(16) : _key);
        foreach (var p in parts) hmac.TransformBlock(p, 0, p.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return [Delimiter, Hex(hmac.Hash!), .. parts];
    }

    /// <summary>Sends a request; returns its msg_id.</summary>
    public string Send(NetMQSocket socket, string type, JsonObject content, bool badSignature = false)
    {
        var frames = Frames(type, content, badSignature: badSignature);
        socket.SendMultipartBytes(frames);
        return JsonNode.Parse(frames[2])!["msg_id"]!.GetValue<string>();
    }

    /// <summary>The next message on a socket, its signature checked, or null after <paramref name="wait"/>.</summary>
    public Message? TryReceive(NetMQSocket socket, TimeSpan wait)
    {
        List<byte[]> frames = [];
        if (!socket.TryReceiveMultipartBytes(wait, ref frames)) return null;
        var d = frames.FindIndex(f => f.AsSpan().SequenceEqual(Delimiter));
        Assert.True(d >= 0, "a message without the <IDS|MSG> delimiter");
        using var hmac = new HMACSHA256(_key);
        for (int i = d + 2; i < d + 6; i++) hmac.TransformBlock(frames[i], 0, frames[i].Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        Assert.Equal(Encoding.ASCII.GetString(Hex(hmac.Hash!)), Encoding.ASCII.GetString(frames[d + 1]));
        JsonObject Json(int i) => JsonNode.Parse(frames[d + i])!.AsObject();
        var header = Json(2);
        Assert.Equal("5.3", header["version"]!.GetValue<string>());
        return new Message(header["msg_type"]!.GetValue<string>(), header, Json(3), Json(4), Json(5));
    }

    public Message Receive(NetMQSocket socket) =>
        TryReceive(socket, Patience) ?? throw new TimeoutException($"no message within {Patience.TotalSeconds} s; kernel said: {KernelOutput}");

    /// <summary>A request on the shell channel and its reply.</summary>
    public Message Request(string type, JsonObject content)
    {
        var id = Send(Shell, type, content);
        var reply = Receive(Shell);
        Assert.Equal(id, reply.ParentId);
        return reply;
    }

    /// <summary>The iopub messages of one request, from its "busy" to its "idle" (both included).</summary>
    public List<Message> IOPubOf(string requestId)
    {
        var messages = new List<Message>();
        while (true)
        {
            var m = Receive(IOPub);
            if (m.ParentId != requestId) continue;
            messages.Add(m);
            if (m.Type == "status" && m.Content["execution_state"]!.GetValue<string>() == "idle") return messages;
        }
    }

    /// <summary>Runs code: its reply and its iopub messages.</summary>
    public (Message Reply, List<Message> IOPub) Execute(string code, bool allowStdin = false)
    {
        var id = Send(Shell, "execute_request", Execution(code, allowStdin));
        var reply = Receive(Shell);
        Assert.Equal(id, reply.ParentId);
        return (reply, IOPubOf(id));
    }

    public static JsonObject Execution(string code, bool allowStdin = false) => new()
    {
        ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(),
        ["allow_stdin"] = allowStdin, ["stop_on_error"] = true,
    };

    public void Dispose()
    {
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, IOPub, Heartbeat }) socket.Dispose();
        try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        Process.WaitForExit(10_000);
        Process.Dispose();
        try { Directory.Delete(Path.GetDirectoryName(_connectionFile)!, true); } catch (IOException) { }
    }

    static byte[] Utf8(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString());
    static byte[] Hex(byte[] bytes) => Encoding.ASCII.GetBytes(Convert.ToHexString(bytes).ToLowerInvariant());

    static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
