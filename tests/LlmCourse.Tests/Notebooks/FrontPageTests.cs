using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Export;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Tests.Notebooks;

/// <summary>artifacts/run/index.html: the course's front page after a run.</summary>
public class FrontPageTests
{
    static NotebookRun Ran(string file, string heading, params CellStatus[] statuses)
    {
        var notebook = Notebook.Create(file, [("markdown", heading + "\n\nText."), .. statuses.Select(_ => ("code", "1"))]);
        var cells = notebook.Cells.Where(c => c.IsCode).Zip(statuses, (c, s) =>
            new CellRun(c, s, TimeSpan.FromSeconds(1.5), s == CellStatus.Failed ? new CellError("Error", "boom", null, null) : null)).ToList();
        return new NotebookRun(file, notebook, cells, Kernel: "course kernel (Jupyter protocol)");
    }

    [Fact]
    public void EachNotebookHasItsPartTitleCellsTimeAndStatusAndThePageSaysWhichKernelRanThem()
    {
        var page = FrontPage.Render(
        [
            Ran("/x/03-tokenization.ipynb", "# 03 · Tokenization", CellStatus.Succeeded, CellStatus.Succeeded),
            Ran("/x/04-sft.ipynb", "# 04 · SFT: from base model to assistant", CellStatus.Succeeded, CellStatus.Failed, CellStatus.Skipped),
        ], "course kernel (Jupyter protocol)");

        Assert.Contains("<td class=\"part\">3</td><td><a href=\"03-tokenization.html\">Tokenization</a>", page);
        Assert.Contains("<td class=\"num\">2/2</td><td class=\"num\">3.0 s</td><td class=\"ok\">ok</td>", page);
        Assert.Contains("<a href=\"04-sft.html\">SFT: from base model to assistant</a>", page);
        Assert.Contains("<td class=\"num\">1/3</td><td class=\"num\">4.5 s</td><td class=\"failed\"", page);
        Assert.Contains("1 of 2 notebooks failed", page);
        Assert.Contains("Kernel: course kernel (Jupyter protocol)", page);
        // The notebook pages' absolutely positioned .time labels piled up at the top right of the old index.
        Assert.DoesNotContain("class=\"time\"", page);
    }

    [Fact]
    public void ANotebookWithoutANumberedHeadingIsNamedByItsFile()
    {
        var run = Ran("/x/09-extra.ipynb", "Some notes", CellStatus.Succeeded);
        Assert.Equal(("9", "Some notes"), FrontPage.PartAndTitle(run));
    }
}
