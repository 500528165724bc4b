using System.Text;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// Redirects Console.Out and Console.Error into the running cell's outputs while it runs, as the kernel
/// does. Writes are buffered and handed on in batches, so printing costs the same per byte however much a
/// cell prints: on a switch to the other stream, before any other output (so the order stays as written),
/// when a batch is large, and at least every <see cref="FlushInterval"/> so a long cell's prints appear
/// while it runs. Thread-safe: training loops may write from worker threads.
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    const int BatchCharacters = 64 * 1024;

    readonly TextWriter _originalOut = Console.Out, _originalError = Console.Error;
    readonly TextReader _originalIn = Console.In;
    readonly object _gate;
    readonly Action<string, string> _emit;
    readonly StringBuilder _pending = new();
    string? _pendingName;
    readonly Timer _timer;

    /// <param name="gate">The lock the kernel holds while it adds other outputs; flushing takes it too.</param>
    /// <param name="emit">Receives (stream name, text) batches, called under <paramref name="gate"/>.</param>
    /// <param name="input">Reads a line for Console.ReadLine (prompt, returns the line); may throw to refuse.</param>
    public ConsoleCapture(object gate, Action<string, string> emit, Func<string, string?> input)
    {
        _gate = gate;
        _emit = emit;
        _timer = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
        Console.SetOut(new Writer(this, "stdout"));
        Console.SetError(new Writer(this, "stderr"));
        Console.SetIn(new Reader(this, input));
    }

    void Write(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_pendingName != name) FlushLocked();
            _pendingName = name;
            _pending.Append(text);
            if (_pending.Length >= BatchCharacters) FlushLocked();
        }
    }

    void Write(string name, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        lock (_gate)
        {
            if (_pendingName != name) FlushLocked();
            _pendingName = name;
            _pending.Append(text);
            if (_pending.Length >= BatchCharacters) FlushLocked();
        }
    }

    /// <summary>Hands on what is buffered. The kernel calls it (under the gate) before it adds any other output.</summary>
    public void FlushLocked()
    {
        if (_pending.Length == 0 || _pendingName is null) return;
        var text = _pending.ToString();
        _pending.Clear();
        _emit(_pendingName, text);
    }

    public void Flush() { lock (_gate) FlushLocked(); }

    public void Dispose()
    {
        _timer.Dispose();
        Flush();
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
        Console.SetIn(_originalIn);
    }

    sealed class Writer(ConsoleCapture capture, string name) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => capture.Write(name, new ReadOnlySpan<char>(in value));
        public override void Write(string? value) { if (value is not null) capture.Write(name, value); }
        public override void Write(char[] buffer, int index, int count) => capture.Write(name, buffer.AsSpan(index, count));
        public override void Write(ReadOnlySpan<char> buffer) => capture.Write(name, buffer);
        public override void WriteLine(string? value) => capture.Write(name, string.Concat(value, NewLine));
        public override void WriteLine(ReadOnlySpan<char> buffer) => capture.Write(name, string.Concat(buffer, NewLine));
        public override void Flush() => capture.Flush();
    }

    /// <summary>Console.ReadLine asks the front end (Jupyter's input_request), or fails with a reason when it cannot.</summary>
    sealed class Reader(ConsoleCapture capture, Func<string, string?> input) : TextReader
    {
        public override string? ReadLine()
        {
            capture.Flush();   // a prompt written with Console.Write shows before the question
            return input("");
        }

        public override int Read() => throw new InvalidOperationException(
            "Console.Read() is not supported in a notebook: read whole lines with Console.ReadLine().");
        public override int Peek() => -1;
        public override string ReadToEnd() => ReadLine() ?? "";
    }
}
