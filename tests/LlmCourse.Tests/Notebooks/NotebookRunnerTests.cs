using System.Text.Json.Nodes;
using LlmCourse.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static LlmCourse.Tests.Notebooks.NotebookFixture;

namespace LlmCourse.Tests.Notebooks;

/// <summary>The headless runner behaves like the .NET Interactive C# kernel, judged by the notebook it writes.</summary>
public class NotebookRunnerTests
{
    [Fact]
    public async Task StateCarriesFromCellToCell()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "var answer = 41;", "int Twice(int x) => 2 * x;", "Twice(answer) - answer + 1");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        var result = Assert.Single(Outputs(cells, 2));
        Assert.Equal("execute_result", result!["output_type"]!.GetValue<string>());
        Assert.Contains("<pre>42</pre>", NotebookFixture.Data(result, "text/html"));   // numbers are text/html in the kernel
        Assert.Equal(3, result["execution_count"]!.GetValue<int>());
        Assert.Empty(Outputs(cells, 0));   // a statement shows nothing
    }

    [Fact]
    public async Task TrailingExpressionOfASequenceOfRecordsRendersAsATable()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "record City(string Name, int Population);\nnew[] { new City(\"Paris\", 2100000), new City(\"Lyon\", 520000) }");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        var html = NotebookFixture.Data(Outputs(cells, 0)[0]!, "text/html");
        Assert.Contains("<th>Name</th><th>Population</th>", html);
        Assert.Contains("<td>Paris</td><td>2100000</td>", html);
        Assert.Null(Outputs(cells, 0)[0]!["data"]!["text/plain"]);   // the kernel gives objects text/html only
    }

    [Fact]
    public async Task DisplayShowsNowAndItsHandleUpdatesThatOutputInPlace()
    {
        // Unlike the .NET kernel's handle (whose id no output carries; see Kernel/DisplayedValue.cs), every update
        // replaces the output display() made, from a later cell too.
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"),
            "var first = display(\"step 0\");\nvar second = display(\"other\");\nfor (int i = 1; i <= 3; i++) first.Update($\"step {i}\");",
            "first.Update(\"updated from a later cell\");\n\"done\"");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        var outputs = Outputs(cells, 0);
        Assert.All(outputs, o => Assert.Equal("display_data", o!["output_type"]!.GetValue<string>()));
        Assert.Equal(["updated from a later cell", "other"], outputs.Select(o => NotebookFixture.Data(o!, "text/plain")));
        Assert.Equal("done", NotebookFixture.Data(Outputs(cells, 1)[0]!, "text/plain"));
    }

    [Fact]
    public async Task ConsoleOutputIsCapturedPerStream()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "Console.WriteLine(\"hello\");\nConsole.Write(\"wor\");\nConsole.WriteLine(\"ld\");\nConsole.Error.WriteLine(\"careful\");");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        var outputs = Outputs(cells, 0);
        Assert.Equal(2, outputs.Count);
        Assert.Equal("stdout", outputs[0]!["name"]!.GetValue<string>());
        Assert.Equal("hello\nworld\n", Text(outputs[0]!).Replace("\r\n", "\n"));
        Assert.Equal("stderr", outputs[1]!["name"]!.GetValue<string>());
        Assert.Equal("careful\n", Text(outputs[1]!).Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task ReferencesAndFilesResolveAgainstTheNotebookFolder()
    {
        using var dir = TestPaths.NewTempFolder();
        Directory.CreateDirectory(dir.File("libs"));
        CompileLibrary(dir.File("libs/Greeter.dll"), "namespace Demo { public static class Greeter { public static string Hi(string n) => \"Hi, \" + n; } }");
        File.WriteAllText(dir.File("name.txt"), "Ada");
        Write(dir.File("n.ipynb"), "#r \"libs/Greeter.dll\"\nusing Demo;", "Greeter.Hi(System.IO.File.ReadAllText(\"name.txt\"))");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.Equal("Hi, Ada", NotebookFixture.Data(Outputs(cells, 1)[0]!, "text/plain"));
    }

    [Fact]
    public async Task LibraryViewsRenderThroughTheFormatterConvention()
    {
        using var dir = TestPaths.NewTempFolder();
        var library = typeof(LlmCourse.Visuals.HtmlView).Assembly.Location;
        Write(dir.File("n.ipynb"), $"#r \"{library}\"\nusing LlmCourse.Visuals;",
            "new Html(\"<b>bold</b>\", \"bold\")",
            "new Figure(\"Loss\").Line(new[] { 1, 2, 3 }, new[] { 3.0, 2.0, 1.5 }, \"train\")");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.Equal("<b>bold</b>", NotebookFixture.Data(Outputs(cells, 1)[0]!, "text/html"));
        Assert.Equal("bold", NotebookFixture.Data(Outputs(cells, 1)[0]!, "text/plain"));
        var chart = NotebookFixture.Data(Outputs(cells, 2)[0]!, "text/html");
        Assert.Contains("newPlot", chart);
        Assert.Contains("\"name\":\"train\"", chart);
    }

    [Fact]
    public async Task CompileErrorStopsTheNotebookWithCellLineAndMessage()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "var ok = 1;", "var x = 2;\nint y = \"text\";", "ok + 1");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.False(run.Succeeded);
        Assert.Equal(CellStatus.Failed, run.Cells[1].Status);
        Assert.Equal(CellStatus.Skipped, run.Cells[2].Status);
        Assert.Equal(2, run.Failure!.Error!.Line);
        Assert.Contains("cell 2, line 2: int y = \"text\";", run.FailureMessage);
        Assert.Contains("CS0029", run.FailureMessage);
        var error = Assert.Single(Outputs(cells, 1));
        Assert.Equal("error", error!["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Empty(Outputs(cells, 2));
        Assert.Null(cells[2]!["execution_count"]);
    }

    [Fact]
    public async Task RuntimeExceptionReportsTheLineThatThrew()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "Console.WriteLine(\"before\");\nvar items = new List<int>();\nvar first = items[0];\nConsole.WriteLine(\"after\");");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.False(run.Succeeded);
        Assert.Equal(3, run.Failure!.Error!.Line);
        Assert.Contains("line 3: var first = items[0];", run.FailureMessage);
        Assert.Contains("ArgumentOutOfRangeException", run.FailureMessage);
        var outputs = Outputs(cells, 0);
        Assert.Equal("before\n", Text(outputs[0]!).Replace("\r\n", "\n"));   // what ran before the throw is kept
        Assert.Equal("System.ArgumentOutOfRangeException", outputs[1]!["ename"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("#!share --from fsharp x", "#!share")]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.1\"", "nuget")]
    [InlineData("#!time\nvar x = 1;", "#!time")]
    public async Task UnsupportedDirectivesFailWithAReason(string code, string named)
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), code);

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.False(run.Succeeded);
        Assert.Equal("UnsupportedDirective", run.Failure!.Error!.Kind);
        Assert.Contains(named, run.Failure.Error.Message);
        Assert.Contains("not supported by the headless runner", Outputs(cells, 0)[0]!["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task CellsForAnotherKernelFailWithAReason()
    {
        using var dir = TestPaths.NewTempFolder();
        var path = dir.File("n.ipynb");
        Write(path, "let x = 1");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["cells"]![0]!["metadata"]!["polyglot_notebook"]!["kernelName"] = "fsharp";
        File.WriteAllText(path, json.ToJsonString());

        var run = await NotebookRunner.RunAsync(path);

        Assert.False(run.Succeeded);
        Assert.Equal("UnsupportedKernel", run.Failure!.Error!.Kind);
        Assert.Contains("\"fsharp\" kernel", run.Failure.Error.Message);
    }

    [Fact]
    public async Task CSharpKernelSelectorIsAccepted()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "#!csharp\n$\"{1 + 1}\"");

        var (run, cells) = await RunAndReload(dir.File("n.ipynb"));

        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.Equal("2", NotebookFixture.Data(Outputs(cells, 0)[0]!, "text/plain"));
    }

    [Fact]
    public async Task MissingCourseLibraryTellsWhichCommandBuildsIt()
    {
        using var dir = TestPaths.NewTempFolder();
        Write(dir.File("n.ipynb"), "#r \"../artifacts/course/Nowhere.dll\"");

        var run = await NotebookRunner.RunAsync(dir.File("n.ipynb"));

        Assert.False(run.Succeeded);
        Assert.Contains("dotnet build", run.FailureMessage);
        Assert.Equal(1, run.Failure!.Error!.Line);
    }

    static void CompileLibrary(string path, string source)
    {
        var compilation = CSharpCompilation.Create(Path.GetFileNameWithoutExtension(path),
            [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location),
             MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }
}
