using System.Globalization;
using System.Text.RegularExpressions;
using LlmCourse.Notebooks.Ipynb;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks.Verification;

/// <summary>One way a cell's outputs in a run differ from the committed ones, in words (cells numbered from 1, as <c>llmcourse run</c> prints them).</summary>
public sealed record OutputDifference(int Cell, string What)
{
    public override string ToString() => $"cell {Cell}: {What}";
}

/// <summary>
/// Compares a notebook's committed outputs with a fresh run's, cell by cell and output by output: what kind of
/// output (a stream and its name, a display, a result, an error), which MIME types, and the text of each.
/// Measured figures are told apart from everything else by how they are written: a number followed by a unit of
/// time, speed or size ("1.2 s", "340 ms", "16,500 tokens/s", "5 MB"). Those numbers, and the random element ids
/// of charts, are compared as placeholders; every other character must match. Outputs that show nothing in any
/// front end (whitespace only) are left out. The compiler's diagnostics of the run (a front end shows them outside
/// the outputs) are differences too, as the committed notebook has none.
/// </summary>
public static partial class OutputComparison
{
    /// <param name="runs">The run's cells, for their compiler diagnostics.</param>
    /// <param name="compareTexts">
    /// False compares only which outputs each cell shows (kinds and MIME types), for a run that cannot reproduce the
    /// committed numbers (another libtorch thread count sums floating point in another order).
    /// </param>
    /// <param name="mask">Further normalisation of one cell's text (cell number, text): known measured figures a pattern cannot tell by their unit.</param>
    public static IReadOnlyList<OutputDifference> Compare(Notebook committed, Notebook ran, IReadOnlyList<CellRun>? runs = null,
        bool compareTexts = true, Func<int, string, string>? mask = null)
    {
        string Norm(int cell, string text) => mask is null ? Normal(text) : Normal(mask(cell, text));
        var differences = new List<OutputDifference>();
        foreach (var cell in committed.Cells.Where(c => c.IsCode))
        {
            var expected = Shown(committed.OutputsOf(cell));
            var actual = Shown(ran.Cells.Count > cell.Index ? ran.OutputsOf(ran.Cells[cell.Index]) : []);
            var expectedKinds = expected.Select(Kind).ToList();
            var actualKinds = actual.Select(Kind).ToList();
            if (!expectedKinds.SequenceEqual(actualKinds))
            {
                // What the run printed on stderr says why, more often than not (a warning, an exception's message).
                var stderr = string.Concat(actual.OfType<StreamOutput>().Where(s => s.Name == "stderr").Select(s => $"; run's stderr: «{Cut(s.Text.Trim(), 300)}»"));
                differences.Add(new(cell.Number, $"outputs differ: committed [{string.Join(", ", expectedKinds)}], run [{string.Join(", ", actualKinds)}]{stderr}"));
                continue;
            }
            for (int i = 0; compareTexts && i < expected.Count; i++)
                foreach (var (mime, a, b) in Texts(expected[i]).Zip(Texts(actual[i]), (x, y) => (x.Mime, x.Text, y.Text)))
                    if (!SameButForLastDigits(Norm(cell.Number, a), Norm(cell.Number, b)) &&
                        FirstDifference(Norm(cell.Number, a), Norm(cell.Number, b)) is { } at)
                        differences.Add(new(cell.Number, $"output {i + 1} ({Kind(expected[i])}) {mime} differs: committed «{at.Committed}» vs run «{at.Run}»"));
        }
        foreach (var run in runs ?? [])
            foreach (var diagnostic in run.Diagnostics ?? [])
                differences.Add(new(run.Cell.Number, $"compiler diagnostic {diagnostic}"));
        return differences;
    }

    /// <summary>The outputs a reader sees: those whose every value is whitespace show nothing anywhere.</summary>
    static List<CellOutput> Shown(IReadOnlyList<CellOutput> outputs) =>
        outputs.Where(o => o is not DisplayOutput d || d.Data.Values.Any(v => !string.IsNullOrWhiteSpace(v))).ToList();

    static string Kind(CellOutput output) => output switch
    {
        StreamOutput s => $"stream {s.Name}",
        ErrorOutput => "error",
        DisplayOutput d => $"{(d.IsResult ? "result" : "display")} {string.Join("+", d.Data.Keys.Order(StringComparer.Ordinal))}",
        _ => output.GetType().Name,
    };

    static IEnumerable<(string Mime, string Text)> Texts(CellOutput output) => output switch
    {
        StreamOutput s => [("text", s.Text)],
        ErrorOutput e => [("error", $"{e.Name}: {e.Message}")],
        DisplayOutput d => d.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)),
        _ => [],
    };

    /// <summary>
    /// The text with measured figures and per-render ids replaced by placeholders, line ends unified, and runs of
    /// spaces made one (a text table pads a column to its widest figure, which is measured too).
    /// </summary>
    public static string Normal(string text)
    {
        text = text.Replace("\r\n", "\n");
        text = ChartId().Replace(text, "plot-#");
        text = Measured().Replace(text, m => "#" + m.Groups["unit"].Value);
        return Spaces().Replace(text, " ");
    }

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();

    /// <summary>A number (digits, thousands separators, a decimal part) followed by a unit of time, speed or size.</summary>
    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?(?:&nbsp;|\u00a0|\u202f|\s)?(?<unit>ms|µs|s|sec|seconds?|min|minutes?|h|hours?|days?|weeks?|years?|tokens/s|tok/s|steps/s|pages/s|rows/s|samples/s|GFLOP/s|[KMG]i?B)(?![\w/])")]
    private static partial Regex Measured();

    /// <summary>
    /// True when the two texts are the same but for numbers that differ by at most 2 in their last printed digit
    /// (0.38 and 0.39, 133.8 and 133.7 in a chart's path) or by at most 0.1 % (4.10703182220459 and 4.107031345367432
    /// in a chart's data). libtorch sums floating point in an order that depends on how
    /// its threads split the work, so another process (the real kernel, not the course's runner) can land a rounded
    /// figure on the other side of a boundary. A change to the text, or any larger change to a number, still differs.
    /// </summary>
    public static bool SameButForLastDigits(string committed, string run)
    {
        if (committed == run) return true;
        var a = Number().Split(committed);
        var b = Number().Split(run);
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            if (i % 2 == 0 || !Close(a[i], b[i])) return false;   // even pieces are the text between numbers
        }
        return true;

        // Within 2 of the last printed digit, or, for a float printed in full (a chart's data), within 0.1 %.
        static bool Close(string x, string y)
        {
            var (a, b) = (double.Parse(x, CultureInfo.InvariantCulture), double.Parse(y, CultureInfo.InvariantCulture));
            if (Math.Abs(a - b) <= 1e-3 * Math.Max(Math.Abs(a), Math.Abs(b))) return true;
            var decimals = x.Contains('.') ? x.Length - x.IndexOf('.') - 1 : 0;
            if ((y.Contains('.') ? y.Length - y.IndexOf('.') - 1 : 0) != decimals) return false;
            var unit = Math.Pow(10, -decimals);
            return Math.Abs(a - b) <= 2 * unit + unit / 100;
        }
    }

    /// <summary>A number as printed, captured so <see cref="Regex.Split(string)"/> keeps it: text, number, text, …</summary>
    [GeneratedRegex(@"(\d+(?:\.\d+)?)")]
    private static partial Regex Number();

    [GeneratedRegex(@"plot-[0-9a-f]{8,}")]
    private static partial Regex ChartId();

    static string Cut(string s, int length) => s.Length <= length ? s : s[..length] + "…";

    /// <summary>Where two texts first differ, with some context either side; null when they are equal.</summary>
    static (string Committed, string Run)? FirstDifference(string a, string b)
    {
        if (a == b) return null;
        int k = 0;
        while (k < a.Length && k < b.Length && a[k] == b[k]) k++;
        string Around(string s) => (k > 60 ? "…" : "") + s.Substring(Math.Max(0, k - 60), Math.Min(s.Length, k + 90) - Math.Max(0, k - 60)).Replace("\n", "\\n") + (s.Length > k + 90 ? "…" : "");
        return (Around(a), Around(b));
    }
}
