using System.CommandLine;
using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Export;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Visuals;
using Spectre.Console;

namespace LlmCourse.Cli.Commands;

/// <summary>`llmcourse run` executes notebooks headlessly; `llmcourse export` renders them to HTML.</summary>
public static class NotebookCommands
{
    public const string DefaultRunFolder = "artifacts/run";

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
        var command = new Command("run", "Execute C# notebooks headlessly, as Polyglot Notebooks would, and write them with their outputs and as HTML");
        command.Arguments.Add(paths);
        command.Options.Add(output);
        command.Options.Add(inPlace);
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(paths)!, parse.GetValue(output)!, parse.GetValue(inPlace), cancel));
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

    static async Task<int> RunAsync(string[] paths, string outFolder, bool inPlace, CancellationToken cancel)
    {
        // Made before any cell runs: cells redirect Console.Out, the progress display must keep the terminal.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (!TryFindNotebooks(paths, console, out var notebooks)) return 2;

        var runs = new List<NotebookRun>();
        var exporter = Exporter();
        foreach (var path in notebooks)
        {
            var run = await RunWithProgressAsync(path, console, cancel);
            runs.Add(run);
            if (run.Notebook is not { } executed) continue;

            var name = Path.GetFileNameWithoutExtension(path);
            executed.Save(Path.Combine(outFolder, name + ".ipynb"));
            File.WriteAllText(Path.Combine(outFolder, name + ".html"), exporter.Export(executed));
            if (inPlace && run.Succeeded) executed.Save(path);
        }
        if (runs.Count > 1)
            File.WriteAllText(Path.Combine(outFolder, "index.html"), HtmlExporter.Index(runs.Select(r =>
                (Path.GetFileNameWithoutExtension(r.Path), Path.GetFileNameWithoutExtension(r.Path) + ".html", Status(r)))));

        Summarize(runs, console, outFolder, inPlace);
        return runs.All(r => r.Succeeded) ? 0 : 1;
    }

    static async Task<NotebookRun> RunWithProgressAsync(string path, IAnsiConsole console, CancellationToken cancel)
    {
        var name = Path.GetFileName(path);
        if (!console.Profile.Capabilities.Interactive)
        {
            console.WriteLine($"> {name}");
            return await NotebookRunner.RunAsync(path, new LineObserver(console), cancel);
        }
        NotebookRun? result = null;
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync($"{name}: starting", async context =>
            result = await NotebookRunner.RunAsync(path, new StatusObserver(context, name), cancel));
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

    static void Summarize(IReadOnlyList<NotebookRun> runs, IAnsiConsole console, string outFolder, bool inPlace)
    {
        var table = new Table().AddColumns("Notebook", "Code cells", "Time", "Status");
        foreach (var run in runs)
        {
            var ok = run.Cells.Count(c => c.Status == CellStatus.Succeeded);
            table.AddRow(Markup.Escape(Path.GetFileName(run.Path)), $"{ok}/{run.Cells.Count}",
                $"{run.Elapsed.TotalSeconds:0.0} s", run.Succeeded ? "[green]ok[/]" : "[red]failed[/]");
        }
        console.Write(table);
        foreach (var run in runs.Where(r => !r.Succeeded))
            console.MarkupLine($"[red]{Markup.Escape(run.FailureMessage ?? "failed")}[/]");
        console.WriteLine($"Executed notebooks and HTML written to {Path.GetFullPath(outFolder)}" +
                          (inPlace ? "; notebooks that ran cleanly were updated in place." : "."));
    }

    static string Status(NotebookRun run) => run.Succeeded ? $"ran in {run.Elapsed.TotalSeconds:0.0} s" : "failed";

    static int ExportAll(string[] paths, string outFolder)
    {
        var console = AnsiConsole.Console;
        if (!TryFindNotebooks(paths, console, out var notebooks)) return 2;
        var exporter = Exporter();
        int failures = 0;
        foreach (var path in notebooks)
        {
            try
            {
                var notebook = Notebook.Load(path);
                var target = Path.Combine(outFolder, Path.GetFileNameWithoutExtension(path) + ".html");
                Directory.CreateDirectory(outFolder);
                File.WriteAllText(target, exporter.Export(notebook));
                console.WriteLine($"{path} -> {target}");
            }
            catch (NotebookFormatException e)
            {
                console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    static HtmlExporter Exporter() =>
        new([new PageAsset(PlotlyView.Marker, PlotlyJs.ScriptTag())]);

    /// <summary>Expands folders to their notebooks (sorted, as the course's numbering intends).</summary>
    static bool TryFindNotebooks(string[] paths, IAnsiConsole console, out List<string> notebooks)
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
                console.MarkupLine($"[red]{Markup.Escape(path)}: {(File.Exists(path) ? "not a .ipynb notebook" : "no such file or folder")}[/]");
                return false;
            }
        }
        if (notebooks.Count == 0) console.MarkupLine("[red]no notebooks found[/]");
        return notebooks.Count > 0;
    }
}
