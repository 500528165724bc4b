using System.Diagnostics;
using LlmCourse.Cli.Commands;

namespace LlmCourse.Tests.Cli;

/// <summary>What a run of the `llmcourse` command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    /// <summary>No .NET stack trace and no "Unhandled exception" anywhere in what it printed.</summary>
    public void AssertNoStackTrace()
    {
        Assert.DoesNotContain("Unhandled exception", Stdout + Stderr);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\.\S+\(", Stdout + Stderr);
    }
}

/// <summary>Runs the built `llmcourse` (this build's LlmCourse.Cli.dll) as a user would, in a process of its own.</summary>
public static class CliProcess
{
    public static CliResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    public static CliResult Run(string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        var launcher = KernelCommands.Launcher();   // dotnet + the CLI's dll
        var start = new ProcessStartInfo(launcher.Argv[0])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(launcher.Argv[1]);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"llmcourse {string.Join(" ", args)} did not finish in 10 minutes");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
