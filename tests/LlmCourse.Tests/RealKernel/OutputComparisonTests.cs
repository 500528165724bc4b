using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Kernel;
using LlmCourse.Notebooks.Verification;

namespace LlmCourse.Tests.RealKernel;

/// <summary>What the real-kernel tests count as a difference: everything but measured figures, chart ids and outputs that show nothing.</summary>
public class OutputComparisonTests
{
    static Notebook With(params CellOutput[][] cells)
    {
        var notebook = Notebook.Create("n.ipynb", cells.Select(_ => ("code", "x")));
        foreach (var (cell, outputs) in notebook.Cells.Zip(cells)) notebook.SetExecution(cell, 1, outputs, null);
        return notebook;
    }

    static DisplayOutput Html(string html, string? text = null) =>
        new(text is null ? new Dictionary<string, string> { ["text/html"] = html } : new Dictionary<string, string> { ["text/html"] = html, ["text/plain"] = text });

    [Fact]
    public void MeasuredFiguresAndChartIdsAreNotDifferences()
    {
        var committed = With([new StreamOutput("stdout", "trained in 71.3 s at 16,500 tokens/s, 340 ms a step, 5 MB\n")],
                             [Html("<div id=\"plot-0123456789ab\"></div>")]);
        var ran = With([new StreamOutput("stdout", "trained in 93.0 s at 12,004 tokens/s, 512 ms a step, 6 MB\n")],
                       [Html("<div id=\"plot-ba9876543210\"></div>")]);

        Assert.Empty(OutputComparison.Compare(committed, ran));
    }

    [Fact]
    public void ARoundedFigureThatLandsOneDigitOverIsNotADifferenceButChangedWordsAre()
    {
        // The real kernel's libtorch may sum in another order: 0.38 becomes 0.39, a chart's path moves by 0.1.
        Assert.True(OutputComparison.SameButForLastDigits("16 | 1.82 | 0.38 | 1.84 nats L296.3,133.8", "16 | 1.82 | 0.39 | 1.84 nats L296.3,133.7"));
        Assert.True(OutputComparison.SameButForLastDigits("\"y\":[4.10703182220459,3.2002453804016113]", "\"y\":[4.107031345367432,3.200244665145874]"));
        Assert.False(OutputComparison.SameButForLastDigits("16 | 1.82 | 0.38", "16 | 1.82 | 0.41"));
        Assert.False(OutputComparison.SameButForLastDigits("\"y\":[4.10703182220459]", "\"y\":[4.11703182220459]"));
        Assert.False(OutputComparison.SameButForLastDigits("0.38 right", "0.38 wrong"));
        Assert.False(OutputComparison.SameButForLastDigits("0.38", "0.4"));   // printed another way: a change of format
    }

    [Fact]
    public void AFigureThatIsNotATimeSpeedOrSizeIsADifference()
    {
        var committed = With([Html("<b>76 %</b> correct", "76 % correct")]);
        var ran = With([Html("<b>72 %</b> correct", "72 % correct")]);

        var differences = OutputComparison.Compare(committed, ran);

        Assert.Equal(2, differences.Count);   // text/html and text/plain
        Assert.All(differences, d => Assert.Equal(1, d.Cell));
        Assert.Contains("76 %", differences[0].What);
        Assert.Contains("72 %", differences[0].What);
    }

    [Fact]
    public void AnOutputThatShowsNothingIsLeftOutButAMissingOrExtraOutputIsADifference()
    {
        var chart = Html("<svg/>", "[chart]");
        var placeholder = new DisplayOutput(new Dictionary<string, string> { ["text/html"] = "", ["text/plain"] = "" });

        Assert.Empty(OutputComparison.Compare(With([placeholder, chart]), With([chart])));
        var missing = Assert.Single(OutputComparison.Compare(With([chart]), With([placeholder])));
        Assert.Equal("outputs differ: committed [display text/html+text/plain], run []", missing.What);
        var extra = Assert.Single(OutputComparison.Compare(With([chart]), With([new StreamOutput("stderr", "warning\n"), chart])));
        Assert.Contains("run [stream stderr, display text/html+text/plain]", extra.What);
    }

    [Fact]
    public void CompilerDiagnosticsOfTheRunAreDifferences()
    {
        var notebook = With([Html("<b>x</b>")]);
        var run = new CellRun(notebook.Cells[0], CellStatus.Succeeded, TimeSpan.Zero, null, ["CS1701: Assuming assembly reference"]);

        var difference = Assert.Single(OutputComparison.Compare(notebook, notebook, [run]));

        Assert.Equal("cell 1: compiler diagnostic CS1701: Assuming assembly reference", difference.ToString());
    }
}
