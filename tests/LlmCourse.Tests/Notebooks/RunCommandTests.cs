using System.CommandLine;
using LlmCourse.Cli.Commands;
using LlmCourse.Notebooks.Ipynb;

namespace LlmCourse.Tests.Notebooks;

/// <summary>`llmcourse run` on a folder: every notebook runs, a failure does not stop the others, the exit code tells.</summary>
public class RunCommandTests
{
    static Task<int> Invoke(params string[] args)
    {
        var root = new RootCommand { NotebookCommands.Run(), NotebookCommands.Export() };
        return root.Parse(args).InvokeAsync();
    }

    [Fact]
    public async Task RunsEveryNotebookWritesCopiesAndHtmlAndFailsWhenOneFails()
    {
        using var dir = TestPaths.NewTempFolder();
        var notebooks = Directory.CreateDirectory(dir.File("notebooks")).FullName;
        NotebookFixture.Save(Notebook.Create(Path.Combine(notebooks, "01-bad.ipynb"), [("code", "throw new Exception(\"broken on purpose\");")]));
        NotebookFixture.Save(Notebook.Create(Path.Combine(notebooks, "02-good.ipynb"), [("markdown", "# Good"), ("code", "$\"{6 * 7}\"")]));
        var badBefore = File.ReadAllText(Path.Combine(notebooks, "01-bad.ipynb"));
        var output = dir.File("out");

        var exit = await Invoke("run", notebooks, "--out", output, "--in-place");

        Assert.Equal(1, exit);
        // The good notebook ran after the bad one, was updated in place and exported.
        var good = Notebook.Load(Path.Combine(notebooks, "02-good.ipynb"));
        Assert.Equal("42", Assert.IsType<LlmCourse.Notebooks.Kernel.DisplayOutput>(good.OutputsOf(good.Cells[1]).Single()).Text);
        Assert.Contains("<h1 id=\"good\">Good</h1>", File.ReadAllText(Path.Combine(output, "02-good.html")));
        // The failed one keeps its committed content; its executed copy (with the error) is in the output folder.
        Assert.Equal(badBefore, File.ReadAllText(Path.Combine(notebooks, "01-bad.ipynb")));
        Assert.Contains("broken on purpose", File.ReadAllText(Path.Combine(output, "01-bad.ipynb")));
        Assert.True(File.Exists(Path.Combine(output, "index.html")));
    }

    [Fact]
    public async Task ExportRendersMarkdownCodeAndLiveHtmlOutputs()
    {
        using var dir = TestPaths.NewTempFolder();
        var path = dir.File("n.ipynb");
        var library = typeof(LlmCourse.Visuals.HtmlView).Assembly.Location;
        NotebookFixture.Save(Notebook.Create(path, [("markdown", "# Chart *demo*"), ("code", $"#r \"{library}\""),
            ("code", "new LlmCourse.Visuals.Figure(\"t\").Line(new[] { 1, 2 }, new[] { 1, 4 })")]));
        Assert.Equal(0, await Invoke("run", path, "--out", dir.File("run"), "--in-place"));

        Assert.Equal(0, await Invoke("export", path, "--out", dir.File("html")));

        var html = File.ReadAllText(dir.File("html/n.html"));
        Assert.Contains("<em>demo</em>", html);
        Assert.Contains("Figure(&quot;t&quot;)", html);          // the code, escaped
        Assert.Contains("Plotly.newPlot", html);                  // the chart output, live
        Assert.Contains("class=\"plotly-static\"", html);         // and its picture, for a reader without scripts
        Assert.Contains("plotly.js v2.28.0", html);               // plotly.js inlined: works offline
    }

    [Fact]
    public async Task MissingPathIsAClearError()
    {
        Assert.Equal(2, await Invoke("run", "/no/such/folder"));
    }
}
