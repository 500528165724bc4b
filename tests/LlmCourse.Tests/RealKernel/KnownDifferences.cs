using System.Text.RegularExpressions;
using LlmCourse.Notebooks.Verification;

namespace LlmCourse.Tests.RealKernel;

/// <summary>
/// Every way a notebook run in the real .NET Interactive kernel may differ from its committed outputs, in one place,
/// each with why it stays. A difference that is not listed here fails <see cref="RealKernelNotebookTests"/>.
/// An entry matches a difference by notebook (file name prefix), front end (null: both), cell (null: any) and a piece of
/// the difference's text; keep each as narrow as the cause.
/// </summary>
public static class KnownDifferences
{
    public sealed record Entry(string Notebook, FrontEnd? FrontEnd, int? Cell, string Contains, string Why)
    {
        public bool Matches(string notebook, FrontEnd frontEnd, OutputDifference difference) =>
            notebook.StartsWith(Notebook, StringComparison.Ordinal) && (FrontEnd is null || FrontEnd == frontEnd) &&
            (Cell is null || Cell == difference.Cell) && difference.What.Contains(Contains, StringComparison.Ordinal);
    }

    const string AnyNotebook = "";

    public static IReadOnlyList<Entry> All { get; } =
    [
        new(AnyNotebook, FrontEnd.Jupyter, 2, "outputs differ: committed [], run [display text/html]",
            "In Jupyter mode the .NET kernel sends, with the first cell it runs, its own bootstrap: a hidden <div> and a script " +
            "that probes the kernel's HTTP API so that a browser page can reach it. It shows nothing; the kernel does it " +
            "whatever the notebook holds (it is how the tool works, with --http-local-only too)."),

        new("02", null, 22, "output 3 (stream stdout) text differs",
            "The live pre-training run prints a sample every 50 steps. libtorch sums floating point in an order that depends " +
            "on how its threads split the work, so the real kernel's run ends a step with weights a last digit away from the " +
            "course runner's (its losses agree within that digit, which the comparison allows); sampling from them can then " +
            "pick another token, and the text goes its own way from there."),

        new("06", null, 8, "differs",
            "The live RL run (30 steps) samples attempts with batched generation, whose sums libtorch splits across threads " +
            "in an order that is not fixed: the course runner itself gave held-out 48 % one run and 50 % the next. The " +
            "notebook's text says so; the cell's outputs (the chart and the summary line) are still required to be there."),

    ];

    /// <summary>A measured figure that has no unit beside it (a table column's header names it), masked in one cell before comparing.</summary>
    public sealed record Mask(string Notebook, int Cell, Regex Pattern, string Replacement, string Why);

    public static IReadOnlyList<Mask> Masks { get; } =
    [
        new("02", 10, new Regex(@"(<tr>(?:<td[^>]*>[^<]*</td>){7}<td[^>]*>)[\d,]+(</td></tr>)"), "$1#$2",
            "The crawl pipeline's funnel table: its last column is each stage's measured speed in pages/s."),
    ];

    /// <summary>The masks of one notebook, as OutputComparison takes them (cell number, text).</summary>
    public static Func<int, string, string> MaskFor(string notebook) => (cell, text) =>
        Masks.Where(m => notebook.StartsWith(m.Notebook, StringComparison.Ordinal) && m.Cell == cell)
             .Aggregate(text, (t, m) => m.Pattern.Replace(t, m.Replacement));

    /// <summary>The differences no entry explains.</summary>
    public static IReadOnlyList<OutputDifference> Unexplained(string notebook, FrontEnd frontEnd, IEnumerable<OutputDifference> differences) =>
        differences.Where(d => !All.Any(e => e.Matches(notebook, frontEnd, d))).ToList();
}
