using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace LlmCourse.Notebooks.Jupyter;

/// <summary>A kernel that did not start: the process ended, or did not answer in time. Says why, with the kernel's last words.</summary>
public sealed class KernelStartException(string message) : Exception(message);

/// <summary>
/// A kernel in a process of its own, started as a Jupyter front end starts one: a connection file with
/// fresh ports and key, the kernelspec's argv, the notebook's folder as working directory. The process's
/// own output (not the cells') is kept, so a crash can be explained.
/// </summary>
public sealed class KernelProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly string _connectionFile;
    readonly List<string> _firstLines = [];
    readonly Queue<string> _lastLines = new();
    readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public KernelClient Client { get; }

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    KernelProcess(Process process, string connectionFile, KernelClient client)
    {
        _process = process;
        _connectionFile = connectionFile;
        Client = client;
    }

    public static async Task<KernelProcess> StartAsync(KernelLauncher launcher, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var connection = ConnectionInfo.ForLocalhost();
        var connectionFile = Path.Combine(Path.GetTempPath(), $"llmcourse-kernel-{Guid.NewGuid():N}.json");
        connection.Save(connectionFile);

        var argv = launcher.Argv.Select(a => a.Replace(KernelLauncher.ConnectionFilePlaceholder, connectionFile)).ToList();
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,   // a cell must not read the runner's terminal
        };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        start.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString();
        foreach (var (name, value) in launcher.Environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        KernelProcess? kernel = null;
        try
        {
            try { process.Start(); }
            catch (System.ComponentModel.Win32Exception e) { throw new KernelStartException($"cannot start the kernel ({argv[0]}): {e.Message}"); }
            kernel = new KernelProcess(process, connectionFile, new KernelClient(connection));
            kernel.Watch();
            await kernel.WaitUntilReadyAsync(timeout, cancellationToken);
            return kernel;
        }
        catch
        {
            if (kernel is not null) await kernel.DisposeAsync();
            else { TryKill(process); process.Dispose(); File.Delete(connectionFile); }
            throw;
        }
    }

    void Watch()
    {
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult(SafeExitCode());
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
        if (_process.HasExited) _exited.TrySetResult(SafeExitCode());
    }

    int SafeExitCode()
    {
        try { _process.WaitForExit(); return _process.ExitCode; }
        catch (InvalidOperationException) { return -1; }
    }

    void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        line = line.Length > 300 ? line[..300] + "…" : line;
        lock (_lastLines)
        {
            if (_firstLines.Count < 10) { _firstLines.Add(line); return; }
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 10) _lastLines.Dequeue();
        }
    }

    /// <summary>
    /// What the kernel process printed itself (a crash's message: "Stack overflow.", "Unhandled exception. ..."),
    /// without the stack frames that follow it, in one line.
    /// </summary>
    public string LastWords
    {
        get
        {
            lock (_lastLines)
                return string.Join(" | ", _firstLines.Concat(_lastLines)
                    .Where(l => !Regex.IsMatch(l, @"^\s*(at |-{3,}|Repeat \d+ times:|\.\.\.)"))
                    .Select(l => l.Trim()).Distinct().Take(4));
        }
    }

    /// <summary>Why the process ended, in words: the exit code, or the signal that killed it.</summary>
    public string ExitDescription(int code)
    {
        var how = !OperatingSystem.IsWindows() && code > 128 && code < 160
            ? $"was killed by signal {code - 128}{(code - 128) switch { 9 => " (SIGKILL: out of memory, or killed)", 6 => " (SIGABRT: a fatal runtime error, e.g. a stack overflow)", 11 => " (SIGSEGV: a native crash)", _ => "" }}"
            : $"exited with code {code}";
        Thread.Sleep(100);   // let the last lines of its output arrive
        var words = LastWords;
        return $"the kernel process {how}" + (words.Length > 0 ? $"; it last printed: {words}" : "");
    }

    /// <summary>
    /// Ready means the shell answers and the iopub subscription receives: a subscription made before the
    /// kernel binds misses what is published before it connects, so a cell's first output could be lost.
    /// </summary>
    async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = new HashSet<string>();
        void OnIOPub(JupyterMessage m) { lock (probes) if (m.ParentId is { } p && probes.Contains(p)) heard.TrySetResult(); }
        Client.IOPub += OnIOPub;
        try
        {
            while (!heard.Task.IsCompleted)
            {
                var probe = Client.NewRequest("kernel_info_request", []);
                lock (probes) probes.Add(probe.Id);
                var reply = Client.Send(KernelClient.Channel.Shell, probe);
                var done = await Task.WhenAny(Task.WhenAll(reply, heard.Task), Exited, Task.Delay(TimeSpan.FromMilliseconds(500), limit.Token)
                    .ContinueWith(_ => { }, TaskScheduler.Default));
                if (done == Exited)
                    throw new KernelStartException(ExitDescription(await Exited) + " before it answered");
                if (limit.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new KernelStartException($"the kernel did not answer within {timeout.TotalSeconds:0} s" +
                                                   (LastWords is { Length: > 0 } w ? $"; it printed: {w}" : ""));
                }
            }
        }
        finally { Client.IOPub -= OnIOPub; }
    }

    /// <summary>Asks the kernel to stop (interrupting any cell), and ends the process if it has not within <paramref name="grace"/>.</summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        _ = Client.Send(KernelClient.Channel.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited) Kill();
    }

    public void Kill() => TryKill(_process);

    static void TryKill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        Client.Dispose();
        _process.Dispose();
        try { File.Delete(_connectionFile); } catch (IOException) { }
    }
}
