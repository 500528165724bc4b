using LlmCourse.Cli.Commands;
using LlmCourse.Notebooks;

namespace LlmCourse.Tests.Notebooks;

/// <summary>
/// Every notebook of the course runs top to bottom as `llmcourse run` runs it: in a kernel process of its own,
/// driven over the Jupyter protocol. A notebook added to notebooks/ is picked up automatically.
/// </summary>
public class CourseNotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(TestPaths.InRepository("notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task NotebookRunsTopToBottom(string name)
    {
        // Only to name a hung cell before CI's own time limit ends the run: the live training cell takes about 70 s
        // on 2 idle cores, but took over 15 minutes on a machine shared with several busy processes.
        var run = await NotebookRunner.RunAsync(TestPaths.InRepository("notebooks", name), KernelCommands.Launcher(), cellTimeout: TimeSpan.FromMinutes(40));
        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.NotEmpty(run.Cells);
    }

    /// <summary>
    /// Values without a course view render differently in VS Code's kernel (trees) and in the runner (tables), so a
    /// committed output made that way would not be what a VS Code user sees. The runner marks such HTML.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedOutputsComeFromCourseViews(string name)
    {
        var json = File.ReadAllText(TestPaths.InRepository("notebooks", name));
        Assert.DoesNotContain(LlmCourse.Notebooks.Formatting.ValueFormatter.DefaultFormatClass, json);
    }
}
