using System.Text.Json.Nodes;
using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Ipynb;

namespace LlmCourse.Tests.Notebooks;

/// <summary>Writes a notebook of the given cells to a temp folder, runs it, and reads back what was written.</summary>
internal static class NotebookFixture
{
    public static Notebook Write(string path, params string[] codeCells) =>
        Save(Notebook.Create(path, codeCells.Select(c => ("code", c))));

    public static Notebook Save(Notebook notebook) { notebook.Save(notebook.Path); return notebook; }

    /// <summary>Runs the notebook, saves it as the CLI does, and returns the run and the saved JSON's cells.</summary>
    public static async Task<(NotebookRun Run, JsonArray Cells)> RunAndReload(string path)
    {
        var run = await NotebookRunner.RunAsync(path);
        Assert.NotNull(run.Notebook);
        var saved = Path.ChangeExtension(path, ".out.ipynb");
        run.Notebook!.Save(saved);
        var cells = (JsonArray)JsonNode.Parse(File.ReadAllText(saved))!["cells"]!;
        return (run, cells);
    }

    public static JsonArray Outputs(JsonArray cells, int index) => (JsonArray)cells[index]!["outputs"]!;

    /// <summary>The text of one mime type of one output ("text/plain", "text/html"), joined from its lines.</summary>
    public static string Data(JsonNode output, string mime) =>
        string.Concat(((JsonArray)output["data"]![mime]!).Select(l => l!.GetValue<string>()));

    public static string Text(JsonNode output) => string.Concat(((JsonArray)output["text"]!).Select(l => l!.GetValue<string>()));
}
