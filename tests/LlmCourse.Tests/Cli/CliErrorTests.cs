using System.Text.Json.Nodes;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Tests.Notebooks;

namespace LlmCourse.Tests.Cli;

/// <summary>
/// What a user can get wrong gets one clear line on stderr naming the file, line or cell, and a non-zero exit:
/// no stack trace, no half-written files, and the other notebooks of a folder still run.
/// </summary>
public class CliErrorTests
{
    static string Good(string folder, string name = "02-good.ipynb")
    {
        var path = Path.Combine(folder, name);
        NotebookFixture.Save(Notebook.Create(path, [("markdown", "# Good"), ("code", "$\"{6 * 7}\"")]));
        return path;
    }

    [Fact]
    public void NonStringKernelNameIsOneLineAndTheRestOfTheFolderRuns()
    {
        using var dir = TestPaths.NewTempFolder();
        var notebooks = Directory.CreateDirectory(dir.File("notebooks")).FullName;
        var bad = Path.Combine(notebooks, "01-bad.ipynb");
        NotebookFixture.Save(Notebook.Create(bad, [("code", "1 + 1")]));
        var json = JsonNode.Parse(File.ReadAllText(bad))!;
        json["cells"]![0]!["metadata"]!["polyglot_notebook"]!["kernelName"] = 5;
        File.WriteAllText(bad, json.ToJsonString());
        Good(notebooks);

        var result = CliProcess.Run(dir.Path, "run", "notebooks", "--out", "out");

        Assert.Equal(1, result.ExitCode);
        result.AssertNoStackTrace();
        Assert.Contains("01-bad.ipynb: cell 1: metadata polyglot_notebook.kernelName is a number, not a string", result.Stderr);
        Assert.DoesNotContain("kernelName", result.Stdout);   // errors go to stderr
        Assert.Contains("42", File.ReadAllText(dir.File("out/02-good.ipynb")));
        Assert.False(File.Exists(dir.File("out/01-bad.ipynb")));
    }

    [Fact]
    public void OutPointingAtAFileIsOneLine()
    {
        using var dir = TestPaths.NewTempFolder();
        Good(dir.Path, "n.ipynb");
        File.WriteAllText(dir.File("results"), "keep me");

        var result = CliProcess.Run(dir.Path, "run", "n.ipynb", "--out", "results");

        Assert.Equal(2, result.ExitCode);
        result.AssertNoStackTrace();
        Assert.Contains("--out results: that is a file", result.Stderr);
        Assert.Equal("keep me", File.ReadAllText(dir.File("results")));
    }

    [Fact]
    public void AFolderOfUnloadableNotebooksClaimsNothingWasWritten()
    {
        using var dir = TestPaths.NewTempFolder();
        File.WriteAllText(dir.File("broken.ipynb"), "{ \"cells\": [");

        var result = CliProcess.Run(dir.Path, "run", "broken.ipynb", "--out", "out");

        Assert.Equal(1, result.ExitCode);
        result.AssertNoStackTrace();
        Assert.Contains("broken.ipynb: not valid JSON at line 1", result.Stderr);
        Assert.Contains("Nothing was written", result.Stderr);
        Assert.DoesNotContain("written to", result.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("out")));
    }

    [Fact]
    public void MissingPathIsAnErrorOnStderr()
    {
        using var dir = TestPaths.NewTempFolder();
        var result = CliProcess.Run(dir.Path, "run", "no-such-folder");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-folder: no such file or folder", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void UsageNamesTheCommandUsersType()
    {
        using var dir = TestPaths.NewTempFolder();
        var result = CliProcess.Run(dir.Path, "run", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("llmcourse run <paths>... [options]", result.Stdout);
        Assert.DoesNotContain("LlmCourse.Cli", result.Stdout);
    }

    [Theory]
    [InlineData("France\tcapital\tParis\n", "line 3: expected 8 tab-separated fields")]
    [InlineData("France\tcapital\tParis\tThe capital of France is\tParis\tmany\t438\t151-400\n", "line 3: mentions \"many\" is not a whole number")]
    public void EvalRecallWithAMalformedFactsFileNamesTheLine(string badLine, string expected)
    {
        using var dir = TestPaths.NewTempFolder();
        var lines = File.ReadLines(TestPaths.InRepository("data", "facts.tsv")).Take(2).Select(l => l + "\n");
        File.WriteAllText(dir.File("facts.tsv"), string.Concat(lines) + badLine);

        var result = CliProcess.Run(dir.Path, "eval", "recall", "--facts", "facts.tsv");

        Assert.Equal(1, result.ExitCode);
        result.AssertNoStackTrace();
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("facts.tsv, " + expected, line);
    }

    [Fact]
    public void EvalRecallWithAMissingModelIsOneLine()
    {
        using var dir = TestPaths.NewTempFolder();
        var result = CliProcess.Run(dir.Path, "eval", "recall", "--model", "nowhere.ckpt");

        Assert.Equal(1, result.ExitCode);
        result.AssertNoStackTrace();
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nowhere.ckpt", line);
    }

    [Fact]
    public void KernelInstallWritesAKernelspecThatStartsThisBuild()
    {
        using var dir = TestPaths.NewTempFolder();

        var user = CliProcess.Run(dir.Path, new Dictionary<string, string> { ["JUPYTER_DATA_DIR"] = dir.File("jupyter") }, "kernel", "install", "--user");
        var prefixed = CliProcess.Run(dir.Path, "kernel", "install", "--prefix", "venv");

        Assert.Equal(0, user.ExitCode);
        Assert.Equal(0, prefixed.ExitCode);
        foreach (var file in new[] { dir.File("jupyter/kernels/llmcourse-csharp/kernel.json"), dir.File("venv/share/jupyter/kernels/llmcourse-csharp/kernel.json") })
        {
            var spec = JsonNode.Parse(File.ReadAllText(file))!;
            Assert.Equal("C# (LlmCourse)", spec["display_name"]!.GetValue<string>());
            Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
            var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            Assert.Equal(["kernel", "-f", "{connection_file}"], argv[^3..]);
            Assert.True(File.Exists(argv[1]), $"{argv[1]} (the CLI the kernelspec starts) exists");
        }
    }
}
