using System.Diagnostics;
using LlmCourse.Notebooks;
using LlmCourse.Notebooks.DotNetInteractive;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Verification;
using Xunit.Abstractions;

namespace LlmCourse.Tests.RealKernel;

/// <summary>
/// Every notebook runs in the real .NET Interactive kernel — the released tool Polyglot Notebooks starts, pinned in
/// .config/dotnet-tools.json — driven both as VS Code drives it and as a Jupyter front end does, and shows what its
/// committed outputs show: no failing cell, and no difference that <see cref="KnownDifferences"/> does not explain.
/// Measured figures (times, speeds, sizes) are compared as placeholders (<see cref="OutputComparison"/>).
/// So a change to the library or a notebook that changes what a VS Code or JupyterLab user sees fails here.
/// </summary>
public class RealKernelNotebookTests(RealKernelClock clock, ITestOutputHelper output) : IClassFixture<RealKernelClock>
{
    public static TheoryData<string, FrontEnd> Runs()
    {
        var data = new TheoryData<string, FrontEnd>();
        foreach (var path in Directory.EnumerateFiles(TestPaths.InRepository("notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            foreach (var frontEnd in Enum.GetValues<FrontEnd>())
                data.Add(Path.GetFileName(path), frontEnd);
        return data;
    }

    /// <summary>
    /// The committed outputs are reproducible only with libtorch's thread count of the run that made them (as 00's
    /// machine description says): another count sums in another order, so trained weights, sampled text and the last
    /// digits of figures may differ. CI's machine runs as many as the committed run; a developer's may not.
    /// </summary>
    static readonly Lazy<int> CommittedThreads = new(() =>
    {
        var setup = Notebook.Load(TestPaths.InRepository("notebooks", "00-setup-check.ipynb"));
        var described = setup.Cells.SelectMany(setup.OutputsOf).OfType<LlmCourse.Notebooks.Kernel.DisplayOutput>()
            .Select(o => o.Text ?? "").FirstOrDefault(t => t.Contains("Torch threads: "));
        var match = System.Text.RegularExpressions.Regex.Match(described ?? "", @"Torch threads: (\d+)");
        Assert.True(match.Success, "00-setup-check.ipynb's committed machine description names no torch thread count");
        return int.Parse(match.Groups[1].Value);
    });

    /// <summary>What libtorch uses in the kernel: OMP_NUM_THREADS when set (the kernel inherits it), else a thread per core.</summary>
    static int ThreadsHere =>
        int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), out var n) && n > 0 ? n : Environment.ProcessorCount;

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task NotebookShowsItsCommittedOutputsInTheRealKernel(string name, FrontEnd frontEnd)
    {
        var tool = DotNetInteractiveTool.Restore(TestPaths.RepositoryRoot);
        var kernel = frontEnd == FrontEnd.VSCode ? NotebookKernel.Polyglot(tool) : NotebookKernel.DotNetJupyter(tool);
        var path = TestPaths.InRepository("notebooks", name);
        var committed = Notebook.Load(path);

        var watch = Stopwatch.StartNew();
        // The limit only names a hung cell before CI's own limit ends the run (see CourseNotebookTests).
        var run = await NotebookRunner.RunAsync(path, kernel, cellTimeout: TimeSpan.FromMinutes(40));
        clock.Add(name, frontEnd, watch.Elapsed);

        Assert.True(run.Succeeded, $"{kernel.Name}: {run.FailureMessage}");
        var reproducible = ThreadsHere == CommittedThreads.Value;
        if (!reproducible)
            output.WriteLine($"libtorch runs {ThreadsHere} threads here and ran {CommittedThreads.Value} for the committed outputs: " +
                             "only which outputs each cell shows is compared, not their text");
        var differences = OutputComparison.Compare(committed, run.Notebook!, run.Cells, compareTexts: reproducible, mask: KnownDifferences.MaskFor(name));
        foreach (var d in differences) output.WriteLine($"{name} ({frontEnd}) {d}");
        var unexplained = KnownDifferences.Unexplained(name, frontEnd, differences);
        Assert.True(unexplained.Count == 0,
            $"{name} in {kernel.Name} differs from its committed outputs in ways tests/LlmCourse.Tests/RealKernel/KnownDifferences.cs does not explain:\n" +
            string.Join("\n", unexplained));
    }
}

/// <summary>
/// Adds up how long the real-kernel runs took and prints it when they are done, in `dotnet test`'s own output too, so
/// CI's log says what this part of the suite costs.
/// </summary>
public sealed class RealKernelClock : IDisposable
{
    readonly List<(string Notebook, FrontEnd FrontEnd, TimeSpan Elapsed)> _runs = [];

    public void Add(string notebook, FrontEnd frontEnd, TimeSpan elapsed)
    {
        lock (_runs) _runs.Add((notebook, frontEnd, elapsed));
        Console.WriteLine($"real kernel: {notebook} as {frontEnd} drives it: {elapsed.TotalSeconds:0.0} s");
    }

    public void Dispose()
    {
        lock (_runs)
        {
            if (_runs.Count == 0) return;
            var total = TimeSpan.FromTicks(_runs.Sum(r => r.Elapsed.Ticks));
            var byFrontEnd = string.Join(", ", _runs.GroupBy(r => r.FrontEnd).Select(g => $"{g.Key} {TimeSpan.FromTicks(g.Sum(r => r.Elapsed.Ticks)).TotalMinutes:0.0} min"));
            Console.WriteLine($"real kernel: {_runs.Count} notebook runs took {total.TotalMinutes:0.0} min ({byFrontEnd})");
        }
    }
}
