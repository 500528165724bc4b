using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks;

public enum CellStatus { Succeeded, Failed, Skipped }

/// <summary>How one code cell went in a run.</summary>
public sealed record CellRun(NotebookCell Cell, CellStatus Status, TimeSpan Elapsed, CellError? Error);

/// <summary>The outcome of running one notebook file; <see cref="Notebook"/> holds it with its new outputs.</summary>
public sealed record NotebookRun(string Path, Notebook? Notebook, IReadOnlyList<CellRun> Cells, string? LoadError = null)
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
    public static async Task<NotebookRun> RunAsync(string path, IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        Notebook notebook;
        try { notebook = Notebook.Load(path); }
        catch (NotebookFormatException e) { return new NotebookRun(path, null, [], e.Message); }

        var kernel = new CSharpKernel(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var codeCells = notebook.Cells.Where(c => c.IsCode).ToList();
        var runs = new List<CellRun>();
        var results = new List<(NotebookCell Cell, int Count, CellResult Result)>();
        bool failed = false;

        foreach (var (cell, i) in codeCells.Select((c, i) => (c, i)))
        {
            if (failed)
            {
                notebook.SetExecution(cell, null, [], null);
                runs.Add(new CellRun(cell, CellStatus.Skipped, TimeSpan.Zero, null));
                continue;
            }
            observer?.CellStarted(notebook, cell, i + 1, codeCells.Count);
            var result = cell.KernelName is null or Notebook.CSharpKernelName
                ? await kernel.ExecuteAsync(cell.Source, cancellationToken)
                : OtherKernel(cell);
            results.Add((cell, results.Count + 1, result));
            var run = new CellRun(cell, result.Succeeded ? CellStatus.Succeeded : CellStatus.Failed, result.Elapsed, result.Error);
            runs.Add(run);
            observer?.CellFinished(notebook, run);
            failed = !result.Succeeded;
        }
        // Outputs are written last: display(...).Update(...) in a later cell may still change an earlier cell's output.
        foreach (var (cell, count, result) in results)
            notebook.SetExecution(cell, count, result.Outputs, result.Elapsed);
        return new NotebookRun(path, notebook, runs);
    }

    static CellResult OtherKernel(NotebookCell cell)
    {
        var error = new CellError("UnsupportedKernel",
            $"this cell is for the \"{cell.KernelName}\" kernel; the headless runner executes C# cells only. " +
            "Write it in C# (or as a markdown cell) so the notebook runs in Polyglot Notebooks and in CI alike.", null, null);
        return new CellResult([new ErrorOutput(error.Kind, error.Message, [error.Message])], TimeSpan.Zero, error);
    }
}
