using System.Diagnostics;
using System.Text.Json.Nodes;
using LlmCourse.Notebooks.Jupyter;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks;

/// <summary>
/// How one cell went: its time, its error, whether the kernel is gone (a crash, or a cell that would not stop), and
/// the compiler's warnings and errors where a front end shows them apart from the outputs (VS Code underlines them).
/// </summary>
internal sealed record CellOutcome(TimeSpan Elapsed, CellError? Error, bool KernelLost = false, IReadOnlyList<string>? Diagnostics = null);

/// <summary>A kernel the runner executes a notebook's cells in; outputs go to the <see cref="OutputAreas"/> it was made with.</summary>
internal interface IKernelSession : IAsyncDisposable
{
    Task<CellOutcome> ExecuteAsync(int cell, string code, TimeSpan? timeout, CancellationToken cancellationToken);
}

internal static class Timeouts
{
    /// <summary>How long an interrupted cell gets to stop before the runner gives up on its kernel.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(10);

    public static CellError Error(TimeSpan limit, CellError? interrupted, bool stopped) => new("Timeout",
        $"the cell ran longer than its time limit of {Seconds(limit)}" +
        (stopped ? " and was interrupted" : ", did not stop when interrupted, and its kernel was ended") +
        " (llmcourse run --cell-timeout sets the limit)",
        interrupted?.Line, interrupted?.SourceLine);

    static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";
}

/// <summary>The engine in this process: quick to start, for tests of cell semantics. A crash in a cell takes the process down.</summary>
internal sealed class InProcessSession : IKernelSession, IKernelOutput
{
    readonly OutputAreas _outputs;
    readonly CSharpKernel _kernel;
    int _cell;

    public InProcessSession(string workingDirectory, OutputAreas outputs)
    {
        _outputs = outputs;
        _kernel = new CSharpKernel(workingDirectory, this);
    }

    public async Task<CellOutcome> ExecuteAsync(int cell, string code, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _cell, cell);
        var clock = Stopwatch.StartNew();
        var run = _kernel.ExecuteAsync(code, cancellationToken);
        if (timeout is not { } limit || await Task.WhenAny(run, Task.Delay(limit, cancellationToken)) == run)
        {
            var result = await run;
            return new CellOutcome(result.Elapsed, result.Error);
        }
        _kernel.Interrupt();
        var stopped = await Task.WhenAny(run, Task.Delay(Timeouts.InterruptGrace, CancellationToken.None)) == run;
        var error = Timeouts.Error(limit, stopped ? (await run).Error : null, stopped);
        _outputs.ReplaceError(cell, error.ToOutput());
        return new CellOutcome(clock.Elapsed, error, KernelLost: !stopped);
    }

    void IKernelOutput.Stream(string name, string text) => _outputs.Stream(Volatile.Read(ref _cell), name, text);
    void IKernelOutput.Add(CellOutput output) => _outputs.Add(Volatile.Read(ref _cell), output);
    void IKernelOutput.Update(DisplayOutput output) => _outputs.Update(output);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// A kernel process spoken to over the Jupyter protocol, as any front end would: each notebook gets its own
/// process, so a crash or an Environment.Exit in a cell ends that notebook only.
/// </summary>
internal sealed class ProcessSession : IKernelSession
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    readonly KernelProcess _kernel;
    readonly OutputAreas _outputs;
    readonly Dictionary<string, int> _cellOf = [];                        // request id -> cell index
    readonly Dictionary<string, TaskCompletionSource> _idle = [];         // request id -> its "idle" arrived

    ProcessSession(KernelProcess kernel, OutputAreas outputs)
    {
        _kernel = kernel;
        _outputs = outputs;
        kernel.Client.IOPub += OnIOPub;
    }

    public static async Task<ProcessSession> StartAsync(KernelLauncher launcher, string workingDirectory, OutputAreas outputs, CancellationToken cancellationToken) =>
        new(await KernelProcess.StartAsync(launcher, workingDirectory, StartTimeout, cancellationToken), outputs);

    void OnIOPub(JupyterMessage message)
    {
        int cell;
        lock (_cellOf)
        {
            if (message.ParentId is not { } parent || !_cellOf.TryGetValue(parent, out cell)) return;
            if (message.Type == "status" && message.ContentText("execution_state") == "idle" && _idle.Remove(parent, out var idle))
                idle.TrySetResult();
        }
        var content = message.Content;
        switch (message.Type)
        {
            case "stream":
                _outputs.Stream(cell, message.ContentText("name") ?? "stdout", message.ContentText("text") ?? "");
                break;
            case "display_data":
                _outputs.Add(cell, new DisplayOutput(Bundle(content), DisplayId: JupyterMessage.Text(content["transient"], "display_id")));
                break;
            case "execute_result":
                _outputs.Add(cell, new DisplayOutput(Bundle(content), IsResult: true));
                break;
            case "update_display_data" when JupyterMessage.Text(content["transient"], "display_id") is { } id:
                _outputs.Update(new DisplayOutput(Bundle(content), DisplayId: id));
                break;
            case "error":
                _outputs.Add(cell, new ErrorOutput(message.ContentText("ename") ?? "Error", message.ContentText("evalue") ?? "",
                    (content["traceback"] as JsonArray)?.Select(t => t?.ToString() ?? "").ToList() ?? []));
                break;
        }
    }

    static Dictionary<string, string> Bundle(JsonObject content) =>
        (content["data"] as JsonObject ?? []).ToDictionary(kv => kv.Key,
            kv => kv.Value is JsonValue v && v.TryGetValue(out string? s) ? s : kv.Value?.ToJsonString() ?? "");

    public async Task<CellOutcome> ExecuteAsync(int cell, string code, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var client = _kernel.Client;
        var request = client.NewRequest("execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(),
            ["allow_stdin"] = false, ["stop_on_error"] = true,
        });
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_cellOf) { _cellOf[request.Id] = cell; _idle[request.Id] = idle; }
        var clock = Stopwatch.StartNew();
        var reply = client.Send(KernelClient.Channel.Shell, request);
        // Done when the reply is in and so is every output (iopub's "idle" comes after the last of them).
        var done = Task.WhenAll(reply, idle.Task);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) limit.CancelAfter(t);
        var finished = await Task.WhenAny(done, _kernel.Exited, Task.Delay(Timeout.Infinite, limit.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        if (finished == done) return Outcome(await reply, clock.Elapsed);
        if (finished == _kernel.Exited) return Lost(cell, clock.Elapsed, _kernel.ExitDescription(await _kernel.Exited) + " while this cell ran");
        cancellationToken.ThrowIfCancellationRequested();

        // Past the time limit: interrupt it, as a front end's stop button does.
        _ = client.Send(KernelClient.Channel.Control, "interrupt_request", []);
        finished = await Task.WhenAny(done, _kernel.Exited, Task.Delay(Timeouts.InterruptGrace));
        var stopped = finished == done;
        var error = Timeouts.Error(timeout!.Value, stopped ? Outcome(await reply, clock.Elapsed).Error : null, stopped);
        _outputs.ReplaceError(cell, error.ToOutput());
        if (!stopped) _kernel.Kill();
        return new CellOutcome(clock.Elapsed, error, KernelLost: !stopped);
    }

    CellOutcome Lost(int cell, TimeSpan elapsed, string why)
    {
        var error = new CellError("KernelDied", why, null, null);
        _outputs.Add(cell, error.ToOutput());
        return new CellOutcome(elapsed, error, KernelLost: true);
    }

    static CellOutcome Outcome(JupyterMessage reply, TimeSpan elapsed)
    {
        var status = reply.ContentText("status");
        if (status == "ok") return new CellOutcome(elapsed, null);
        var where = reply.Metadata["llmcourse"];
        int? line = where?["line"] is JsonValue l && l.TryGetValue(out int n) ? n : null;
        var error = status == "aborted"
            ? new CellError("Aborted", "the kernel did not run this cell (an earlier one failed)", null, null)
            : new CellError(reply.ContentText("ename") ?? "Error", reply.ContentText("evalue") ?? "", line, JupyterMessage.Text(where, "source_line"));
        return new CellOutcome(elapsed, error);
    }

    public async ValueTask DisposeAsync()
    {
        await _kernel.ShutdownAsync(TimeSpan.FromSeconds(5));
        await _kernel.DisposeAsync();
    }
}
