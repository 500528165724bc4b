using System.Diagnostics;

namespace LlmCourse.Tests.Tools;

/// <summary>
/// The CPU time this process spends on an action: a speed bound that holds on a machine shared with
/// other builds, where wall time can triple. Tests run one at a time, so the process's time is the action's.
/// </summary>
static class CpuTime
{
    public static TimeSpan Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        action();
        process.Refresh();
        return process.TotalProcessorTime - before;
    }
}
