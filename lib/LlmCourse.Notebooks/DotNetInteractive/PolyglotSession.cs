using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCourse.Notebooks.Jupyter;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks.DotNetInteractive;

/// <summary>
/// The real .NET Interactive kernel driven as the Polyglot Notebooks extension for VS Code drives it: a
/// <c>dotnet-interactive [vscode] stdio</c> process per notebook, one JSON command envelope per line on its stdin
/// (<c>SubmitCode</c>), one event envelope per line on its stdout. Events become outputs by the extension's rules
/// (src/polyglot-notebooks-vscode-common, interactiveClient.ts and notebookControllers.ts, at the tool's commit):
/// <list type="bullet">
/// <item>StandardOutput/ErrorValueProduced: stream text, joined to the cell's last output when that is the same stream;</item>
/// <item>DisplayedValueProduced, DisplayedValueUpdated, ReturnValueProduced: an output with the event's value id. An id
/// the notebook has shown before replaces the outputs with that id in the running cell (only there: an update from a
/// later cell changes nothing); a new id is appended;</item>
/// <item>CommandFailed for the cell's own command, and ErrorProduced: an error output;</item>
/// <item>DiagnosticsProduced: not an output; the editor underlines them. Warnings and errors are kept as the cell's diagnostics.</item>
/// </list>
/// </summary>
internal sealed class PolyglotSession : IKernelSession
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    readonly Process _process;
    readonly OutputAreas _outputs;
    readonly HashSet<string> _trackedIds = [];                 // the extension's trackedOutputIds, per notebook
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Queue<string> _stderr = new();
    readonly object _gate = new();
    Running? _running;
    int _commands;

    /// <summary>The cell being run: its root command's token, and how it ended.</summary>
    sealed class Running(int cell, string token)
    {
        public readonly int Cell = cell;
        public readonly string Token = token;
        public readonly TaskCompletionSource<string?> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);  // null: succeeded; else the failure
        public readonly List<string> Diagnostics = [];
    }

    PolyglotSession(Process process, OutputAreas outputs)
    {
        _process = process;
        _outputs = outputs;
    }

    public static async Task<PolyglotSession> StartAsync(DotNetInteractiveTool tool, string workingDirectory, OutputAreas outputs, CancellationToken cancellationToken)
    {
        var process = new Process { StartInfo = tool.Stdio(workingDirectory), EnableRaisingEvents = true };
        var session = new PolyglotSession(process, outputs);
        process.Exited += (_, _) => session._exited.TrySetResult(SafeExitCode(process));
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) lock (session._stderr) { session._stderr.Enqueue(line); if (session._stderr.Count > 20) session._stderr.Dequeue(); } };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e) { throw new KernelStartException($"cannot start dotnet-interactive: {e.Message}"); }
        process.BeginErrorReadLine();
        _ = Task.Factory.StartNew(session.ReadEvents, TaskCreationOptions.LongRunning);

        var started = await Task.WhenAny(session._ready.Task, session._exited.Task, Task.Delay(StartTimeout, cancellationToken));
        if (started != session._ready.Task)
        {
            var why = started == session._exited.Task ? $"exited with code {await session._exited.Task}" : $"did not say it was ready within {StartTimeout.TotalSeconds:0} s";
            await session.DisposeAsync();
            cancellationToken.ThrowIfCancellationRequested();
            throw new KernelStartException($"dotnet-interactive stdio {why}{session.LastWords()}");
        }
        return session;
    }

    static int SafeExitCode(Process p) { try { return p.ExitCode; } catch (InvalidOperationException) { return -1; } }

    string LastWords() { lock (_stderr) return _stderr.Count == 0 ? "" : "; it printed: " + string.Join(" | ", _stderr.TakeLast(4)); }

    /// <summary>Reads event envelopes until the process ends; lines that are not JSON (a first-run banner) are skipped, as the extension does.</summary>
    void ReadEvents()
    {
        var reader = _process.StandardOutput;
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('{')) continue;
            JsonObject? envelope;
            try { envelope = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; }
            if (envelope?["eventType"] is JsonValue type && type.TryGetValue(out string? eventType))
                OnEvent(eventType, envelope["event"] as JsonObject ?? [], (string?)envelope["command"]?["token"]);
        }
    }

    void OnEvent(string type, JsonObject e, string? token)
    {
        if (type == "KernelReady") { _ready.TrySetResult(); return; }
        Running? running;
        lock (_gate) running = _running;
        // The cell's own command and the commands it spawned (token "T.1", "T.2"...), as the extension routes them.
        if (running is null || token is null || !(token == running.Token || token.StartsWith(running.Token + ".", StringComparison.Ordinal))) return;
        int cell = running.Cell;
        switch (type)
        {
            case "StandardOutputValueProduced":
            case "StandardErrorValueProduced":
                var text = string.Concat(Visible(e).Select(v => v.Value));
                if (text.Length > 0) _outputs.Stream(cell, type.StartsWith("StandardError") ? "stderr" : "stdout", text);
                break;
            case "DisplayedValueProduced":
            case "DisplayedValueUpdated":
            case "ReturnValueProduced":
                var data = Visible(e).GroupBy(v => v.Mime).ToDictionary(g => g.Key, g => g.Last().Value);
                if (data.Count == 0) break;   // the extension shows nothing for an event with no visible value
                var id = (string?)e["valueId"] ?? Guid.NewGuid().ToString("N");
                var output = new DisplayOutput(data, IsResult: type == "ReturnValueProduced", DisplayId: id);
                bool tracked;
                lock (_trackedIds) tracked = !_trackedIds.Add(id);
                if (tracked) _outputs.ReplaceIn(cell, output);
                else _outputs.Add(cell, output);
                break;
            case "ErrorProduced":
                _outputs.Add(cell, new ErrorOutput("Error", (string?)e["message"] ?? "", [(string?)e["message"] ?? ""]));
                break;
            case "DiagnosticsProduced":
                foreach (var d in (e["diagnostics"] as JsonArray ?? []).OfType<JsonObject>())
                    if ((string?)d["severity"] is "warning" or "error")
                        lock (running.Diagnostics) running.Diagnostics.Add($"{(string?)d["code"]}: {(string?)d["message"]}");
                break;
            case "CommandSucceeded" when token == running.Token:
                running.Done.TrySetResult(null);
                break;
            case "CommandFailed" when token == running.Token:
                var message = (string?)e["message"] ?? "the command failed";
                _outputs.Add(cell, new ErrorOutput("Error", message, [message]));
                running.Done.TrySetResult(message);
                break;
        }
    }

    static IEnumerable<(string Mime, string Value)> Visible(JsonObject e) =>
        (e["formattedValues"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["suppressDisplay"] is not JsonValue s || !s.GetValue<bool>())
            .Select(v => ((string?)v["mimeType"] ?? "text/plain", (string?)v["value"] ?? ""));

    public async Task<CellOutcome> ExecuteAsync(int cell, string code, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var running = new Running(cell, $"llmcourse-{Interlocked.Increment(ref _commands)}");
        lock (_gate) _running = running;
        var envelope = new JsonObject
        {
            ["token"] = running.Token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
            ["routingSlip"] = new JsonArray(),
        };
        var clock = Stopwatch.StartNew();
        await _process.StandardInput.WriteLineAsync(envelope.ToJsonString());
        await _process.StandardInput.FlushAsync();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) limit.CancelAfter(t);
        var finished = await Task.WhenAny(running.Done.Task, _exited.Task, Task.Delay(Timeout.Infinite, limit.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        lock (_gate) _running = null;
        IReadOnlyList<string> diagnostics;
        lock (running.Diagnostics) diagnostics = running.Diagnostics.ToList();
        if (finished == running.Done.Task)
        {
            var failure = await running.Done.Task;
            return new CellOutcome(clock.Elapsed, failure is null ? null : new CellError("Error", failure, null, null), Diagnostics: diagnostics);
        }
        if (finished == _exited.Task)
            return new CellOutcome(clock.Elapsed, new CellError("KernelDied", $"dotnet-interactive exited with code {await _exited.Task} while this cell ran{LastWords()}", null, null), KernelLost: true);
        cancellationToken.ThrowIfCancellationRequested();
        // Past the time limit: the kernel is ended rather than cancelled, since a cell that ignores cancellation would hold it.
        Kill();
        return new CellOutcome(clock.Elapsed, Timeouts.Error(timeout!.Value, null, stopped: false), KernelLost: true);
    }

    void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>
    /// Ends the kernel. Closing its stdin is not enough: the tool then spins on the closed stream at full CPU
    /// instead of exiting, so the process is ended outright (the extension, too, kills it when the notebook closes).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        _process.Dispose();
    }
}
