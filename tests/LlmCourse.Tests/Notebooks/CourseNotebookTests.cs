using LlmCourse.Notebooks;

namespace LlmCourse.Tests.Notebooks;

/// <summary>
/// Every notebook of the course runs top to bottom in the headless runner. A notebook added to
/// notebooks/ is picked up automatically.
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
        var run = await NotebookRunner.RunAsync(TestPaths.InRepository("notebooks", name));
        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.NotEmpty(run.Cells);
    }
}
