using System.CommandLine;
using LlmCourse.Notebooks;
using LlmCourse.Notebooks.DotNetInteractive;
using LlmCourse.Notebooks.Export;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Visuals;
using Spectre.Console;

namespace LlmCourse.Cli.Commands;

/// <summary>
/// `llmcourse run` executes notebooks headlessly, each in its own kernel process spoken to over the Jupyter
/// protocol; `llmcourse export` renders them to HTML. Progress and the summary go to stdout, every error to
/// stderr.
/// </summary>
public static class NotebookCommands
{
    public const string DefaultRunFolder = "artifacts/run";

    /// <summary>
    /// A cell's time limit by default: the course budgets 3 minutes for a whole notebook, its longest cell (the live
    /// training) takes about 70 s on 2 cores; 5 minutes leaves a slow laptop room and still stops a hung cell.
    /// </summary>
    public const double DefaultCellTimeoutSeconds = 300;

    public static Command Run()
    {
        var paths = Paths();
        var output = new Option<string>("--out")
        {
            Description = "Folder for the executed notebooks and their HTML",
            DefaultValueFactory = _ => DefaultRunFolder,
        };
        var inPlace = new Option<bool>("--in-place")
        {
            Description = "Write outputs back into the notebooks themselves (only when the notebook ran cleanly); HTML still goes to --out",
        };
        var noTiming = new Option<bool>("--no-timing")
        {
            Description = "Write no cell run times into the notebooks, so re-running an unchanged notebook changes only what it measured (use it for committed notebooks); the HTML still shows them",
        };
        var cellTimeout = new Option<double>("--cell-timeout")
        {
            Description = $"Interrupt a cell that runs longer than this many seconds and fail its notebook (0: no limit; default {DefaultCellTimeoutSeconds:0})",
            DefaultValueFactory = _ => DefaultCellTimeoutSeconds,
        };
        cellTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var s && (s < 0 || double.IsNaN(s) || double.IsInfinity(s)))
                result.AddError("--cell-timeout must be a number of seconds, 0 or more (0: no limit)");
        });
        var kernel = new Option<string>("--kernel")
        {
            Description = "Which kernel runs them: course (the course's Jupyter kernel), dotnet-vscode (the pinned .NET Interactive tool " +
                          "driven as VS Code's Polyglot Notebooks drives it) or dotnet-jupyter (the same tool as a Jupyter front end drives it); " +
                          "the .NET ones need `dotnet tool restore`",
            DefaultValueFactory = _ => "course",
        };
        kernel.AcceptOnlyFromAmong("course", "dotnet-vscode", "dotnet-jupyter");
        var command = new Command("run",
            "Execute notebooks headlessly, each in a fresh C# kernel process (the course's Jupyter kernel), and write them with their outputs and as HTML");
        command.Arguments.Add(paths);
        foreach (var option in new Option[] { output, inPlace, noTiming, cellTimeout, kernel }) command.Options.Add(option);
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(paths)!, parse.GetValue(output)!, parse.GetValue(inPlace),
            parse.GetValue(noTiming), parse.GetValue(cellTimeout) is > 0 and var s ? TimeSpan.FromSeconds(s) : null, parse.GetValue(kernel)!, cancel));
        return command;
    }

    public static Command Export()
    {
        var paths = Paths();
        var output = new Option<string>("--out") { Description = "Folder for the HTML pages", DefaultValueFactory = _ => "artifacts/html" };
        var command = new Command("export", "Render notebooks (with the outputs they hold) to self-contained HTML pages");
        command.Arguments.Add(paths);
        command.Options.Add(output);
        command.SetAction(parse => ExportAll(parse.GetValue(paths)!, parse.GetValue(output)!));
        return command;
    }

    static Argument<string[]> Paths() => new("paths")
    {
        Description = "Notebooks (.ipynb) or folders of notebooks",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>Errors in red on a terminal; never wrapped, so that each stays one line a log or a test can find.</summary>
    static IAnsiConsole Errors()
    {
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        errors.Profile.Width = short.MaxValue;
        return errors;
    }

    /// <summary>The kernel <c>--kernel</c> names; the .NET Interactive ones are the version the repository's tool manifest pins.</summary>
    public static NotebookKernel KernelNamed(string name) => name switch
    {
        "dotnet-vscode" => NotebookKernel.Polyglot(DotNetInteractiveTool.Restore(RepositoryRoot())),
        "dotnet-jupyter" => NotebookKernel.DotNetJupyter(DotNetInteractiveTool.Restore(RepositoryRoot())),
        _ => NotebookKernel.Course(KernelCommands.Launcher()),
    };

    static string RepositoryRoot() => Path.GetDirectoryName(LlmCourse.Data.CourseData.Directory)!;

    static async Task<int> RunAsync(string[] paths, string outFolder, bool inPlace, bool noTiming, TimeSpan? cellTimeout, string kernelName, CancellationToken cancel)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var errors = Errors();
        if (!TryFindNotebooks(paths, errors, out var notebooks) || !TryMakeFolder(outFolder, errors)) return 2;

        var runs = new List<NotebookRun>();
        var exporter = Exporter();
        NotebookKernel launcher;
        try { launcher = KernelNamed(kernelName); }
        catch (Exception e) when (e is DotNetInteractiveToolException or DirectoryNotFoundException)
        {
            errors.MarkupLine($"[red]--kernel {Markup.Escape(kernelName)}: {Markup.Escape(e.Message)}[/]");
            return 2;
        }
        int written = 0, writeFailures = 0;
        foreach (var path in notebooks)
        {
            var run = await RunWithProgressAsync(path, launcher, cellTimeout, console, cancel);
            runs.Add(run);
            if (run.Notebook is not { } executed) continue;

            var name = Path.GetFileNameWithoutExtension(path);
            try
            {
                AtomicFile.WriteAllText(Path.Combine(outFolder, name + ".html"), exporter.Export(executed));   // the HTML shows the times
                if (noTiming) executed.RemoveTimings();
                executed.Save(Path.Combine(outFolder, name + ".ipynb"));
                if (inPlace && run.Succeeded) executed.Save(path);
                written++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.MarkupLine($"[red]{Markup.Escape(path)}: cannot write its results: {Markup.Escape(e.Message)}[/]");
                writeFailures++;
            }
        }
        if (written > 1)
        {
            try
            {
                AtomicFile.WriteAllText(Path.Combine(outFolder, "index.html"), FrontPage.Render(runs, launcher.Name));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.MarkupLine($"[red]{Markup.Escape(outFolder)}: cannot write index.html: {Markup.Escape(e.Message)}[/]");
                writeFailures++;
            }
        }

        Summarize(runs, console, errors);
        if (written > 0)
            console.WriteLine($"Executed notebooks and HTML written to {Path.GetFullPath(outFolder)}" +
                              (inPlace ? "; notebooks that ran cleanly were updated in place." : "."));
        else
            errors.MarkupLine("[red]Nothing was written: no notebook could be run.[/]");
        return runs.All(r => r.Succeeded) && writeFailures == 0 ? 0 : 1;
    }

    static async Task<NotebookRun> RunWithProgressAsync(string path, NotebookKernel launcher, TimeSpan? cellTimeout,
        IAnsiConsole console, CancellationToken cancel)
    {
        var name = Path.GetFileName(path);
        if (!console.Profile.Capabilities.Interactive)
        {
            console.WriteLine($"> {name}");
            return await NotebookRunner.RunAsync(path, launcher, cellTimeout, new LineObserver(console), cancel);
        }
        NotebookRun? result = null;
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync($"{Markup.Escape(name)}: starting its kernel", async context =>
            result = await NotebookRunner.RunAsync(path, launcher, cellTimeout, new StatusObserver(context, name), cancel));
        return result!;
    }

    /// <summary>Live status line: which notebook, which cell, how long so far.</summary>
    sealed class StatusObserver(StatusContext context, string name) : IRunObserver
    {
        public void CellStarted(Notebook notebook, NotebookCell cell, int codeCellNumber, int codeCellCount) =>
            context.Status($"{Markup.Escape(name)}: code cell {codeCellNumber}/{codeCellCount} (notebook cell {cell.Number})");
    }

    /// <summary>One line per cell, for CI logs and other non-interactive output.</summary>
    sealed class LineObserver(IAnsiConsole console) : IRunObserver
    {
        public void CellFinished(Notebook notebook, CellRun run) =>
            console.WriteLine($"  cell {run.Cell.Number,3}  {run.Status,-9} {run.Elapsed.TotalSeconds,7:0.00} s");
    }

    static void Summarize(IReadOnlyList<NotebookRun> runs, IAnsiConsole console, IAnsiConsole errors)
    {
        var table = new Spectre.Console.Table().AddColumns("Notebook", "Code cells", "Time", "Status");
        if (runs.FirstOrDefault()?.Kernel is { } kernel) table.Caption($"kernel: {Markup.Escape(kernel)}");
        foreach (var run in runs)
        {
            var ok = run.Cells.Count(c => c.Status == CellStatus.Succeeded);
            table.AddRow(Markup.Escape(Path.GetFileName(run.Path)), $"{ok}/{run.Cells.Count}",
                $"{run.Elapsed.TotalSeconds:0.0} s", run.Succeeded ? "[green]ok[/]" : run.LoadError is not null ? "[red]not loaded[/]" : "[red]failed[/]");
        }
        console.Write(table);
        foreach (var run in runs.Where(r => !r.Succeeded))
            errors.MarkupLine($"[red]{Markup.Escape(run.FailureMessage ?? "failed")}[/]");
    }

    static int ExportAll(string[] paths, string outFolder)
    {
        var console = AnsiConsole.Console;
        var errors = Errors();
        if (!TryFindNotebooks(paths, errors, out var notebooks) || !TryMakeFolder(outFolder, errors)) return 2;
        var exporter = Exporter();
        int failures = 0;
        foreach (var path in notebooks)
        {
            try
            {
                var notebook = Notebook.Load(path);
                var target = Path.Combine(outFolder, Path.GetFileNameWithoutExtension(path) + ".html");
                AtomicFile.WriteAllText(target, exporter.Export(notebook));
                console.WriteLine($"{path} -> {target}");
            }
            catch (NotebookFormatException e)
            {
                errors.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                failures++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.MarkupLine($"[red]{Markup.Escape(path)}: cannot write its HTML: {Markup.Escape(e.Message)}[/]");
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    static HtmlExporter Exporter() =>
        new([new PageAsset(PlotlyView.Marker, PlotlyJs.ScriptTag())]);

    /// <summary>The output folder exists (made now if need be) and is a folder: checked before anything runs.</summary>
    static bool TryMakeFolder(string folder, IAnsiConsole errors)
    {
        if (File.Exists(folder))
        {
            errors.MarkupLine($"[red]--out {Markup.Escape(folder)}: that is a file; give a folder for the results[/]");
            return false;
        }
        try
        {
            Directory.CreateDirectory(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.MarkupLine($"[red]--out {Markup.Escape(folder)}: cannot make the folder: {Markup.Escape(e.Message)}[/]");
            return false;
        }
    }

    /// <summary>Expands folders to their notebooks (sorted, as the course's numbering intends).</summary>
    static bool TryFindNotebooks(string[] paths, IAnsiConsole errors, out List<string> notebooks)
    {
        notebooks = [];
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                notebooks.AddRange(Directory.EnumerateFiles(path, "*.ipynb").Order(StringComparer.Ordinal));
            else if (File.Exists(path) && path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                notebooks.Add(path);
            else
            {
                errors.MarkupLine($"[red]{Markup.Escape(path)}: {(File.Exists(path) ? "not a .ipynb notebook" : "no such file or folder")}[/]");
                return false;
            }
        }
        if (notebooks.Count == 0) errors.MarkupLine($"[red]{Markup.Escape(string.Join(", ", paths))}: no notebooks (.ipynb) found[/]");
        return notebooks.Count > 0;
    }
}
