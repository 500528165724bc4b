using System.Text.Json.Nodes;
using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Ipynb;

namespace LlmCourse.Tests.Notebooks;

/// <summary>Reading and writing .ipynb: bad files get clear errors and stay untouched; good ones keep their shape.</summary>
public class NotebookFileTests
{
    [Theory]
    [InlineData("{ \"cells\": [ ", "not valid JSON at line 1")]
    [InlineData("{\"nbformat\": 3, \"nbformat_minor\": 0, \"cells\": []}", "nbformat 3 is not supported")]
    [InlineData("{\"cells\": []}", "no \"nbformat\"")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": []}]}", "cell 1 (code) has no \"source\"")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"cells\": [{\"cell_type\": \"widget\", \"source\": \"\"}]}", "unknown cell_type \"widget\"")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"cells\": [{\"cell_type\": \"code\", \"source\": 42}]}", "neither a string nor a list")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"cells\": [{\"cell_type\": \"code\", \"source\": \"1\", \"metadata\": {\"polyglot_notebook\": {\"kernelName\": 5}}}]}", "cell 1: metadata polyglot_notebook.kernelName is a number, not a string")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"cells\": [{\"cell_type\": \"code\", \"source\": \"1\", \"metadata\": {\"polyglot_notebook\": \"csharp\"}}]}", "cell 1: metadata polyglot_notebook is a string, not a JSON object")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"metadata\": {\"polyglot_notebook\": {\"kernelInfo\": {\"defaultKernelName\": [\"csharp\"]}}}, \"cells\": []}", "the notebook: metadata polyglot_notebook.kernelInfo.defaultKernelName is a list, not a string")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 2, \"cells\": [{\"cell_type\": \"code\", \"source\": \"1\", \"metadata\": []}]}", "cell 1 has \"metadata\" that is not a JSON object")]
    public async Task MalformedNotebookGetsAClearErrorAndIsLeftUntouched(string content, string expected)
    {
        using var dir = TestPaths.NewTempFolder();
        var path = dir.File("bad.ipynb");
        File.WriteAllText(path, content);
        var before = File.GetLastWriteTimeUtc(path);

        var run = await NotebookRunner.RunAsync(path);

        Assert.False(run.Succeeded);
        Assert.Null(run.Notebook);
        Assert.Contains("bad.ipynb", run.LoadError);
        Assert.Contains(expected, run.LoadError);
        Assert.Equal(content, File.ReadAllText(path));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        Assert.Equal(["bad.ipynb"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WrittenNotebookHasThePolyglotShapeAndKeepsWhatItDidNotRun()
    {
        using var dir = TestPaths.NewTempFolder();
        var path = dir.File("n.ipynb");
        var notebook = Notebook.Create(path, [("markdown", "# Title\nText"), ("code", "1 + 2")]);
        notebook.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["metadata"]!["custom"] = "kept";   // something a front end stored
        File.WriteAllText(path, json.ToJsonString());

        var run = await NotebookRunner.RunAsync(path);
        run.Notebook!.Save(path);
        var text = File.ReadAllText(path);
        var saved = JsonNode.Parse(text)!;

        Assert.StartsWith("{\n \"cells\": [\n", text);   // one-space indent, as Jupyter and VS Code write
        Assert.Equal(4, saved["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", saved["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("polyglot-notebook", saved["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", saved["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.Equal("kept", saved["metadata"]!["custom"]!.GetValue<string>());
        var markdown = saved["cells"]![0]!;
        Assert.Equal(["# Title\n", "Text"], ((JsonArray)markdown["source"]!).Select(l => l!.GetValue<string>()));
        Assert.Null(markdown["outputs"]);
        var code = saved["cells"]![1]!;
        Assert.Equal("csharp", code["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal("csharp", code["metadata"]!["dotnet_interactive"]!["language"]!.GetValue<string>());
        Assert.Equal(1, code["execution_count"]!.GetValue<int>());
        Assert.True(code["metadata"]!["llmcourse"]!["elapsed_seconds"]!.GetValue<double>() >= 0);
        var result = code["outputs"]![0]!;
        Assert.Equal(["data", "execution_count", "metadata", "output_type"], result.AsObject().Select(p => p.Key));
    }
}
