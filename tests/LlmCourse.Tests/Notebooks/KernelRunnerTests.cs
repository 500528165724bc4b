using System.Diagnostics;
using System.Text.Json.Nodes;
using LlmCourse.Cli.Commands;
using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Tests.Cli;
using static LlmCourse.Tests.Notebooks.NotebookFixture;

namespace LlmCourse.Tests.Notebooks;

/// <summary>
/// `llmcourse run` runs each notebook in a kernel process of its own over the Jupyter protocol: the outputs are
/// the engine's, and a hung cell, a crash or an Environment.Exit ends that notebook only.
/// </summary>
public class KernelRunnerTests
{
    static async Task<JsonArray> CellsAfter(string path, bool throughKernelProcess)
    {
        var run = await NotebookRunner.RunAsync(path, throughKernelProcess ? KernelCommands.Launcher() : null);
        Assert.True(run.Succeeded, run.FailureMessage);
        run.Notebook!.RemoveTimings();
        return (JsonArray)JsonNode.Parse(run.Notebook.ToJson())!["cells"]!;
    }

    [Fact]
    public async Task TheKernelProcessGivesTheSameOutputsAsTheEngineInProcess()
    {
        using var dir = TestPaths.NewTempFolder();
        var library = typeof(LlmCourse.Visuals.HtmlView).Assembly.Location;
        Write(dir.File("n.ipynb"),
            $"#r \"{library}\"\nusing LlmCourse.Visuals;",
            "Console.WriteLine(\"out\");\nConsole.Error.WriteLine(\"err\");\nConsole.WriteLine(\"out again\");",
            "var live = display(\"step 0\");\nvar other = display(new Html(\"<b>other</b>\", \"other\"));\nfor (int i = 1; i <= 3; i++) live.Update($\"step {i}\");",
            "live.Update(\"from a later cell\");\nrecord City(string Name, int Population);\nnew[] { new City(\"Paris\", 2100000) }",
            "new Figure(\"Loss\").Line(new[] { 1, 2 }, new[] { 2.0, 1.0 }, \"train\")");

        var inProcess = await CellsAfter(dir.File("n.ipynb"), throughKernelProcess: false);
        var overProtocol = await CellsAfter(dir.File("n.ipynb"), throughKernelProcess: true);

        // Charts carry a fresh element id per render (plot-<hex>); everything else matches byte for byte.
        static string Normal(JsonNode cells) => System.Text.RegularExpressions.Regex.Replace(cells.ToJsonString(), "plot-[0-9a-f]{12}", "plot-ID");
        Assert.Equal(Normal(inProcess), Normal(overProtocol));
        Assert.Equal(["from a later cell"],
            Outputs(overProtocol, 2).Where(o => o!["data"]!["text/plain"] is not null && !NotebookFixture.Data(o!, "text/plain").StartsWith("other")).Select(o => NotebookFixture.Data(o!, "text/plain")));
    }

    [Fact]
    public async Task AHungCellIsInterruptedAtItsTimeLimitAndReportedWithNotebookCellAndLimit()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("hang.ipynb"), "var ready = true;", "var turns = 0L;\nwhile (true) { turns++; }", "\"never runs\"");
        var clock = Stopwatch.StartNew();

        // The limit holds for every cell, the first too, whose compilation warms up Roslyn (seconds on a busy machine).
        var run = await NotebookRunner.RunAsync(dir.File("hang.ipynb"), KernelCommands.Launcher(), cellTimeout: TimeSpan.FromSeconds(15));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.False(run.Succeeded);
        Assert.Equal([CellStatus.Succeeded, CellStatus.Failed, CellStatus.Skipped], run.Cells.Select(c => c.Status));
        Assert.Equal("Timeout", run.Failure!.Error!.Kind);
        Assert.Contains("hang.ipynb, cell 2, line 2: while (true) { turns++; }", run.FailureMessage);
        Assert.Contains("time limit of 15 s", run.FailureMessage);
        var saved = (JsonArray)JsonNode.Parse(run.Notebook!.ToJson())!["cells"]!;
        Assert.Equal("Timeout", Assert.Single(Outputs(saved, 1))!["ename"]!.GetValue<string>());
    }

    [Fact]
    public void EnvironmentExitOrACrashEndsOnlyItsNotebookAndTheRunGoesOn()
    {
        using var dir = TestPaths.NewTempFolder();
        var notebooks = Directory.CreateDirectory(dir.File("notebooks")).FullName;
        Write(Path.Combine(notebooks, "01-exit.ipynb"), "Console.WriteLine(\"bye\");", "Environment.Exit(3);", "1");
        Write(Path.Combine(notebooks, "02-overflow.ipynb"), "int Down(int n) => Down(n + 1) + 1;\nDown(0)");
        Write(Path.Combine(notebooks, "03-good.ipynb"), "$\"{6 * 7}\"");

        var result = CliProcess.Run(dir.Path, "run", "notebooks", "--out", "out");

        Assert.Equal(1, result.ExitCode);
        result.AssertNoStackTrace();
        Assert.Contains("01-exit.ipynb, cell 2", result.Stderr);
        Assert.Contains("the kernel process exited with code 3 while this cell ran", result.Stderr);
        Assert.Contains("02-overflow.ipynb, cell 1", result.Stderr);
        Assert.Contains("Stack overflow", result.Stderr);   // the kernel process's last words
        Assert.Equal(2, result.Stderr.Split('\n').Count(l => l.Contains("KernelDied")));
        Assert.Contains("03-good.ipynb", result.Stdout);   // the summary table lists every notebook
        Assert.Contains("42", File.ReadAllText(dir.File("out/03-good.ipynb")));
        Assert.Contains("bye", File.ReadAllText(dir.File("out/01-exit.ipynb")));   // what ran before the exit is kept
    }

    [Fact]
    public async Task PrintingMegabytesTakesSecondsAndTheCellKeepsACappedPart()
    {
        using var dir = TestPaths.NewTempFolder();
        // 40,000 lines of 100 characters: 4 MB, which took 33 s when every write copied the text so far.
        Write(dir.File("n.ipynb"), "var line = new string('x', 99);\nfor (int i = 0; i < 40_000; i++) Console.WriteLine(line);\n\"done\"");
        var clock = Stopwatch.StartNew();

        var run = await NotebookRunner.RunAsync(dir.File("n.ipynb"), KernelCommands.Launcher());

        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.True(run.Cells[0].Elapsed < TimeSpan.FromSeconds(15), $"printing 4 MB took {run.Cells[0].Elapsed}");
        var outputs = Outputs((JsonArray)JsonNode.Parse(run.Notebook!.ToJson())!["cells"]!, 0);
        Assert.Equal(OutputAreas.DefaultMaxStreamCharacters, Text(outputs[0]!).Length);
        Assert.Equal("done", NotebookFixture.Data(outputs[1]!, "text/plain"));
        var note = Text(outputs[2]!);
        Assert.Contains("output cut: 3,000,000 of the 4,000,000 characters this cell printed", note);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the whole run took {clock.Elapsed}");
    }

    [Fact]
    public void ReRunningWithNoTimingChangesNothing()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "var rng = new Random(7);\nConsole.WriteLine(rng.Next(100));", "display(\"shown\");\nSystem.Threading.Thread.Sleep(20);\n6 * 7");

        var first = CliProcess.Run(dir.Path, "run", "n.ipynb", "--in-place", "--no-timing", "--out", "out");
        var afterFirst = File.ReadAllBytes(dir.File("n.ipynb"));
        var second = CliProcess.Run(dir.Path, "run", "n.ipynb", "--in-place", "--no-timing", "--out", "out");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(afterFirst, File.ReadAllBytes(dir.File("n.ipynb")));
        Assert.DoesNotContain("elapsed_seconds", File.ReadAllText(dir.File("n.ipynb")));
        Assert.Contains("<div class=\"time\">", File.ReadAllText(dir.File("out/n.html")));   // the HTML still shows the times
    }
}
