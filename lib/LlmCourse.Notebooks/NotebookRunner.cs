using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Jupyter;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks;

public enum CellStatus { Succeeded, Failed, Skipped }

/// <summary>
/// How one code cell went in a run; <see cref="Diagnostics"/> are the compiler's warnings and errors that a front end
/// shows beside the outputs rather than in them (VS Code underlines them in the cell).
/// </summary>
public sealed record CellRun(NotebookCell Cell, CellStatus Status, TimeSpan Elapsed, CellError? Error, IReadOnlyList<string>? Diagnostics = null);

/// <summary>The outcome of running one notebook file; <see cref="Notebook"/> holds it with its new outputs.</summary>
/// <param name="Kernel">Which kernel ran it (<see cref="NotebookKernel.Name"/>).</param>
public sealed record NotebookRun(string Path, Notebook? Notebook, IReadOnlyList<CellRun> Cells, string? LoadError = null, string? Kernel = null)
{
    public bool Succeeded => LoadError is null && Cells.All(c => c.Status == CellStatus.Succeeded);
    public TimeSpan Elapsed => TimeSpan.FromTicks(Cells.Sum(c => c.Elapsed.Ticks));
    public CellRun? Failure => Cells.FirstOrDefault(c => c.Status == CellStatus.Failed);

    /// <summary>One line a person can act on: which notebook, which cell and line, and what went wrong.</summary>
    public string? FailureMessage => LoadError ?? (Failure is { Error: { } e } f
        ? $"{System.IO.Path.GetFileName(Path)}, cell {f.Cell.Number}" +
          (e.Line is int line ? $", line {line}: {e.SourceLine?.Trim()}" : "") + $"\n{e.Kind}: {e.Message}"
        : null);
}

/// <summary>Hears about a run as it happens (the CLI's progress display).</summary>
public interface IRunObserver
{
    void CellStarted(Notebook notebook, NotebookCell cell, int codeCellNumber, int codeCellCount) { }
    void CellFinished(Notebook notebook, CellRun run) { }
}

/// <summary>
/// Runs a notebook file top to bottom in a fresh kernel, as "Restart and run all" does: the first failing
/// cell stops the notebook, and the cells after it are left without outputs so nothing stale remains.
/// </summary>
public static class NotebookRunner
{
    /// <param name="kernel">
    /// Starts the kernel process the notebook runs in, spoken to over the Jupyter protocol (what
    /// <c>llmcourse run</c> does: a crash in one notebook cannot take the others down). Null runs the engine in
    /// this process, which is quicker to start and is how the tests check cell semantics.
    /// </param>
    /// <param name="cellTimeout">A cell running longer is interrupted and fails the notebook; null for no limit.</param>
    public static Task<NotebookRun> RunAsync(string path, KernelLauncher? kernel = null, TimeSpan? cellTimeout = null,
        IRunObserver? observer = null, CancellationToken cancellationToken = default) =>
        RunAsync(path, kernel is null ? NotebookKernel.InProcess : NotebookKernel.Course(kernel), cellTimeout, observer, cancellationToken);

    /// <param name="kernel">The kernel to start for this notebook (a fresh one), and how to drive it.</param>
    public static async Task<NotebookRun> RunAsync(string path, NotebookKernel kernel, TimeSpan? cellTimeout = null,
        IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        Notebook notebook;
        try { notebook = Notebook.Load(path); }
        catch (NotebookFormatException e) { return new NotebookRun(path, null, [], e.Message, kernel.Name); }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var codeCells = notebook.Cells.Where(c => c.IsCode).ToList();
        var outputs = new OutputAreas();
        var runs = new List<CellRun>();
        var executed = new List<(NotebookCell Cell, int Count, TimeSpan Elapsed)>();
        IKernelSession? session = null;
        bool failed = false;
        try
        {
            foreach (var (cell, i) in codeCells.Select((c, i) => (c, i)))
            {
                if (failed)
                {
                    runs.Add(new CellRun(cell, CellStatus.Skipped, TimeSpan.Zero, null));
                    continue;
                }
                observer?.CellStarted(notebook, cell, i + 1, codeCells.Count);
                CellOutcome outcome;
                if (cell.KernelName is not (null or Notebook.CSharpKernelName))
                    outcome = OtherKernel(cell);
                else
                {
                    try
                    {
                        session ??= await kernel.StartAsync(folder, outputs, cancellationToken);
                        outcome = await session.ExecuteAsync(cell.Index, cell.Source, cellTimeout, cancellationToken);
                    }
                    catch (KernelStartException e)
                    {
                        outcome = new CellOutcome(TimeSpan.Zero, new CellError("KernelStartFailed", e.Message, null, null));
                    }
                }
                if (outcome.Error is { } error && outputs.For(cell.Index).All(o => o is not ErrorOutput))
                    outputs.Add(cell.Index, error.ToOutput());
                executed.Add((cell, executed.Count + 1, outcome.Elapsed));
                var run = new CellRun(cell, outcome.Error is null ? CellStatus.Succeeded : CellStatus.Failed, outcome.Elapsed, outcome.Error, outcome.Diagnostics);
                runs.Add(run);
                observer?.CellFinished(notebook, run);
                failed = outcome.Error is not null;
            }
        }
        finally
        {
            if (session is not null) await session.DisposeAsync();
        }

        // Outputs are written last: display(...).Update(...) in a later cell may still change an earlier cell's output.
        foreach (var cell in codeCells) notebook.SetExecution(cell, null, [], null);
        foreach (var (cell, count, elapsed) in executed)
            notebook.SetExecution(cell, count, outputs.For(cell.Index), elapsed);
        return new NotebookRun(path, notebook, runs, Kernel: kernel.Name);
    }

    static CellOutcome OtherKernel(NotebookCell cell) => new(TimeSpan.Zero, new CellError("UnsupportedKernel",
        $"this cell is for the \"{cell.KernelName}\" kernel; the course's kernel runs C# cells only. " +
        "Write it in C# (or as a markdown cell) so the notebook runs in Polyglot Notebooks, Jupyter and CI alike.", null, null));
}
