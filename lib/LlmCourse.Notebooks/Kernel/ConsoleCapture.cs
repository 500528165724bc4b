using System.Text;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// Redirects Console.Out and Console.Error into the running cell's outputs while it runs, as the kernel
/// does. Consecutive writes to the same stream join one output. Thread-safe: training loops may write
/// from worker threads.
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    readonly TextWriter _originalOut = Console.Out, _originalError = Console.Error;

    public ConsoleCapture(Action<string, string> write)
    {
        Console.SetOut(new StreamWriter("stdout", write));
        Console.SetError(new StreamWriter("stderr", write));
    }

    public void Dispose()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
    }

    sealed class StreamWriter(string name, Action<string, string> write) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => write(name, value.ToString());
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) write(name, value); }
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void WriteLine(string? value) => Write(value + NewLine);
    }
}
