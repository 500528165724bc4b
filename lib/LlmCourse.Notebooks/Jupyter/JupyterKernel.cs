using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCourse.Notebooks.Kernel;
using Microsoft.CodeAnalysis.CSharp;
using NetMQ;
using NetMQ.Sockets;

namespace LlmCourse.Notebooks.Jupyter;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) over ZeroMQ, on the course's C# engine (<see cref="CSharpKernel"/>):
/// any Jupyter front end — JupyterLab, Notebook, VS Code's Jupyter extension, nbclient — runs the course's
/// notebooks through it, and so does <c>llmcourse run</c>.
/// </summary>
/// <remarks>
/// Threads: one poller thread owns every socket (ZeroMQ sockets are not thread-safe), answers the heartbeat
/// and the control channel (so an interrupt arrives while a cell runs), and sends what the other threads
/// queue. Shell requests run one after another on an execution thread, as the protocol expects.
/// </remarks>
public sealed class JupyterKernel : IDisposable
{
    readonly WireFormat _wire;
    readonly TextWriter _log;
    readonly string _session = Guid.NewGuid().ToString("N");
    readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    readonly PublisherSocket _iopub = new();
    readonly ResponseSocket _heartbeat = new();
    readonly NetMQQueue<(NetMQSocket Socket, List<byte[]> Frames)> _outgoing = new();
    readonly NetMQPoller _poller;
    readonly BlockingCollection<JupyterMessage> _requests = new();
    readonly CSharpKernel _engine;
    readonly ManualResetEventSlim _stopped = new();
    readonly string _languageVersion = LanguageVersionFacts.MapSpecifiedToEffectiveVersion(LanguageVersion.Latest).ToDisplayString();
    int _executionCount;

    // The request that outputs belong to: the running execute_request, or the last one (output from a thread a
    // finished cell left running goes there, as in ipykernel).
    volatile Execution? _current;
    volatile TaskCompletionSource<string>? _pendingInput;

    sealed record Execution(JupyterMessage Request, int Count, bool Silent, bool AllowStdin);

    public JupyterKernel(ConnectionInfo connection, string workingDirectory, TextWriter log)
    {
        _wire = new WireFormat(connection.Key);
        _log = log;
        _engine = new CSharpKernel(workingDirectory, new Publisher(this), ReadInput);
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
            socket.Options.Linger = TimeSpan.FromSeconds(1);
        _iopub.Options.SendHighWatermark = 0;   // no limit: a fast-printing cell must not lose output
        _shell.Bind(connection.Address(connection.ShellPort));
        _control.Bind(connection.Address(connection.ControlPort));
        _stdin.Bind(connection.Address(connection.StdinPort));
        _iopub.Bind(connection.Address(connection.IOPubPort));
        _heartbeat.Bind(connection.Address(connection.HBPort));

        _heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartBytes(e.Socket.ReceiveMultipartBytes());
        _shell.ReceiveReady += (_, e) => { if (Receive(e.Socket, "shell") is { } m) Shell(m); };
        _control.ReceiveReady += (_, e) => { if (Receive(e.Socket, "control") is { } m) Control(m); };
        _stdin.ReceiveReady += (_, e) => { if (Receive(e.Socket, "stdin") is { } m) Stdin(m); };
        _outgoing.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero)) item.Socket.SendMultipartBytes(item.Frames);
        };
        _poller = [_shell, _control, _stdin, _heartbeat, _outgoing];
    }

    /// <summary>Serves until a shutdown request (or until the front end that started it has gone). Returns the exit code.</summary>
    public int Run()
    {
        _poller.RunAsync("jupyter-sockets", isBackgroundThread: true);
        var execution = new Thread(ExecuteRequests) { Name = "jupyter-execution", IsBackground = true };
        execution.Start();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        using var parentWatch = WatchParentProcess();
        _stopped.Wait();
        // Let the queue drain (the shutdown reply, the last outputs) before the sockets close.
        var clock = Stopwatch.StartNew();
        while (_outgoing.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(2)) Thread.Sleep(10);
        Thread.Sleep(50);
        return 0;
    }

    public void Dispose()
    {
        try { _poller.Stop(); } catch (InvalidOperationException) { }
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _outgoing.Dispose();
        NetMQConfig.Cleanup(block: false);
    }

    JupyterMessage? Receive(NetMQSocket socket, string channel)
    {
        var frames = socket.ReceiveMultipartBytes();
        var message = _wire.Decode(frames, out var problem);
        if (message is null) _log.WriteLine($"llmcourse kernel: ignored a message on the {channel} channel: {problem}");
        return message;
    }

    void Shell(JupyterMessage message) => _requests.Add(message);

    // On the poller thread: must stay quick.
    void Control(JupyterMessage message)
    {
        switch (message.Type)
        {
            case "interrupt_request":
                _engine.Interrupt();
                Reply(_control, message, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Shutdown(_control, message);
                break;
            case "kernel_info_request":
                Reply(_control, message, "kernel_info_reply", KernelInfo());
                break;
            default:
                _log.WriteLine($"llmcourse kernel: ignored an unsupported control message \"{message.Type}\"");
                break;
        }
    }

    void Stdin(JupyterMessage message)
    {
        if (message.Type == "input_reply") _pendingInput?.TrySetResult(message.ContentText("value") ?? "");
    }

    void Shutdown(NetMQSocket socket, JupyterMessage message)
    {
        _engine.Interrupt();
        Reply(socket, message, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = message.ContentFlag("restart", false) });
        _stopped.Set();
    }

    void ExecuteRequests()
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
            try { Handle(request); }
            catch (Exception e)
            {
                // A bug of the kernel's, not the cell's (cells never throw out of the engine): say so and carry on.
                _log.WriteLine($"llmcourse kernel: {request.Type} failed: {e}");
                Reply(_shell, request, request.Type.Replace("_request", "_reply"), new JsonObject
                {
                    ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray(),
                });
            }
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    void Handle(JupyterMessage request)
    {
        switch (request.Type)
        {
            case "execute_request":
                Execute(request);
                break;
            case "kernel_info_request":
                Reply(_shell, request, "kernel_info_reply", KernelInfo());
                break;
            case "is_complete_request":
                var status = CSharpKernel.IsComplete(request.ContentText("code") ?? "");
                var content = new JsonObject { ["status"] = status };
                if (status == "incomplete") content["indent"] = "    ";
                Reply(_shell, request, "is_complete_reply", content);
                break;
            case "complete_request":
                Reply(_shell, request, "complete_reply", Complete(request));
                break;
            case "inspect_request":
                Reply(_shell, request, "inspect_reply", new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() });
                break;
            case "history_request":
                Reply(_shell, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "comm_info_request":
                Reply(_shell, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "shutdown_request":
                Shutdown(_shell, request);
                break;
            case "comm_open" or "comm_msg" or "comm_close":
                break;   // no widgets: nothing listens
            default:
                _log.WriteLine($"llmcourse kernel: ignored an unsupported shell message \"{request.Type}\"");
                break;
        }
    }

    void Execute(JupyterMessage request)
    {
        var code = request.ContentText("code") ?? "";
        var silent = request.ContentFlag("silent", false);
        if (!silent && request.ContentFlag("store_history", true)) _executionCount++;
        var execution = new Execution(request, _executionCount, silent, request.ContentFlag("allow_stdin", false));
        _current = execution;
        if (!silent)
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = execution.Count }, request);

        var started = DateTimeOffset.UtcNow;
        var result = _engine.ExecuteAsync(code).GetAwaiter().GetResult();
        var metadata = new JsonObject { ["started"] = started.ToString("o") };
        if (result.Error is { } error)
        {
            // Where it failed, for clients that report it (the course's runner): the line of the cell and its text.
            metadata["llmcourse"] = new JsonObject { ["line"] = error.Line, ["source_line"] = error.SourceLine };
            // Only the cells queued before the client can have seen this error are skipped: a request sent after the
            // reply below arrived (a retry, the next cell run by hand) runs.
            var queued = request.ContentFlag("stop_on_error", true) ? TakeQueuedExecutions() : [];
            Reply(_shell, request, "execute_reply", new JsonObject
            {
                ["status"] = "error", ["execution_count"] = execution.Count,
                ["ename"] = error.Kind, ["evalue"] = error.Message, ["traceback"] = Strings(error.Traceback),
            }, metadata);
            Abort(queued);
        }
        else
        {
            Reply(_shell, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = execution.Count,
                ["payload"] = new JsonArray(), ["user_expressions"] = new JsonObject(),
            }, metadata);
        }
    }

    /// <summary>After a failed cell, the cells already queued behind it are not run (stop_on_error), as in ipykernel.</summary>
    List<JupyterMessage> TakeQueuedExecutions()
    {
        var queued = new List<JupyterMessage>();
        var others = new List<JupyterMessage>();
        while (_requests.TryTake(out var next)) (next.Type == "execute_request" ? queued : others).Add(next);
        foreach (var other in others) _requests.Add(other);
        return queued;
    }

    void Abort(List<JupyterMessage> queued)
    {
        foreach (var request in queued)
        {
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
            Reply(_shell, request, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    JsonObject Complete(JupyterMessage request)
    {
        var code = request.ContentText("code") ?? "";
        var cursor = request.Content["cursor_pos"] is JsonValue v && v.TryGetValue(out int c) ? c : code.Length;
        var result = _engine.Complete(code, CodePointsToUtf16(code, cursor));
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = Strings(result.Matches),
            ["cursor_start"] = Utf16ToCodePoints(code, result.Start),
            ["cursor_end"] = Utf16ToCodePoints(code, result.End),
            ["metadata"] = new JsonObject(),
        };
    }

    JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "llmcourse",
        ["implementation_version"] = typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = _languageVersion,
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"C# {_languageVersion} (LlmCourse kernel on .NET {Environment.Version}): the course's engine — state across cells, #r \"path\", display(...) and .Update(...)",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    /// <summary>Console.ReadLine in a cell: an input_request to the front end, when the request allows it.</summary>
    string? ReadInput(string prompt)
    {
        if (_current is not { AllowStdin: true } execution)
            throw new InvalidOperationException("Console input is not available: this front end does not answer input requests " +
                                                "(allow_stdin is false). Set the value in the cell instead.");
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingInput = answer;
        Send(_stdin, JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = false }, _session, execution.Request));
        while (!answer.Task.Wait(TimeSpan.FromMilliseconds(100))) Interruption.Check();   // an interrupt ends the wait
        _pendingInput = null;
        return answer.Task.Result;
    }

    void Reply(NetMQSocket socket, JupyterMessage request, string type, JsonObject content, JsonObject? metadata = null) =>
        Send(socket, JupyterMessage.Create(type, content, _session, request, metadata));

    void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        Send(_iopub, JupyterMessage.Create(type, content, _session, parent, identities: [Encoding.UTF8.GetBytes(type)]));

    void Send(NetMQSocket socket, JupyterMessage message) => _outgoing.Enqueue((socket, _wire.Encode(message)));

    IDisposable? WatchParentProcess()
    {
        // jupyter_client names the front end's process; ipykernel ends with it, so a kernel never outlives its front end.
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) || pid <= 1) return null;
        return new Timer(_ =>
        {
            try { using var parent = Process.GetProcessById(pid); if (!parent.HasExited) return; }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
            _log.WriteLine("llmcourse kernel: the front end that started this kernel has gone; stopping");
            _stopped.Set();
        }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    }

    static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, text) in data)
        {
            JsonNode? value = text;
            if (mime.EndsWith("json", StringComparison.Ordinal))
                try { value = JsonNode.Parse(text); } catch (JsonException) { }   // JSON mime types travel as JSON
            bundle[mime] = value;
        }
        return bundle;
    }

    internal static int CodePointsToUtf16(string text, int codePoints)
    {
        int i = 0;
        for (; codePoints > 0 && i < text.Length; codePoints--) i += char.IsSurrogatePair(text, i) ? 2 : 1;
        return i;
    }

    internal static int Utf16ToCodePoints(string text, int index)
    {
        int count = 0;
        for (int i = 0; i < index && i < text.Length; count++) i += char.IsSurrogatePair(text, i) ? 2 : 1;
        return count;
    }

    /// <summary>The engine's outputs as iopub messages, parented to the request they belong to.</summary>
    sealed class Publisher(JupyterKernel kernel) : IKernelOutput
    {
        public void Stream(string name, string text) =>
            kernel.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, kernel._current?.Request);

        public void Add(CellOutput output)
        {
            var execution = kernel._current;
            switch (output)
            {
                case DisplayOutput { IsResult: true } result:
                    if (execution is { Silent: true }) return;
                    kernel.Publish("execute_result", new JsonObject
                    {
                        ["execution_count"] = execution?.Count, ["data"] = Bundle(result.Data), ["metadata"] = new JsonObject(),
                    }, execution?.Request);
                    break;
                case DisplayOutput display:
                    kernel.Publish("display_data", DisplayContent(display), execution?.Request);
                    break;
                case ErrorOutput error:
                    kernel.Publish("error", new JsonObject
                    {
                        ["ename"] = error.Name, ["evalue"] = error.Message, ["traceback"] = Strings(error.Traceback),
                    }, execution?.Request);
                    break;
                case StreamOutput stream:
                    Stream(stream.Name, stream.Text);
                    break;
            }
        }

        public void Update(DisplayOutput output) =>
            kernel.Publish("update_display_data", DisplayContent(output), kernel._current?.Request);

        static JsonObject DisplayContent(DisplayOutput display)
        {
            var content = new JsonObject { ["data"] = Bundle(display.Data), ["metadata"] = new JsonObject() };
            if (display.DisplayId is { } id) content["transient"] = new JsonObject { ["display_id"] = id };
            return content;
        }
    }
}
