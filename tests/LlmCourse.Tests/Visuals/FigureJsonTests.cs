using System.Text.Json.Nodes;
using LlmCourse.Visuals;
using Figure = LlmCourse.Visuals.Figure;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace LlmCourse.Tests.Visuals;

/// <summary>
/// The course writes plotly.js JSON itself (Plotly.NET cannot run in the notebook kernel). For every kind of chart the
/// course draws, the same chart built with Plotly.NET's typed API must give the same JSON tree: same attributes,
/// same values. Where Plotly.NET's typed API cannot spell a plotly.js value, the reference sets it as a plain
/// property and says why.
/// </summary>
public class FigureJsonTests
{
    static readonly double[] Xs = [0, 0.5, 1, 1.5];
    static readonly double[] Ys = [1, 0.25, -0.5, 2];

    [Fact]
    public void LinesWithTitlesAndHeight()
    {
        var ours = new Figure("Two waves").Line(Xs, Ys, "sin x").Line(Xs, Ys.Select(y => -y), "cos x").XAxis("x").YAxis("y").Height(300);

        var expected = PlotlyNet.Figure(Layout(title: "Two waves", x: Axis("x"), y: Axis("y"), height: 300),
            PlotlyNet.Trace("scatter", "Scatter", new { Name = "sin x", Mode = StyleParam.Mode.Lines, X = Xs, Y = Ys }),
            PlotlyNet.Trace("scatter", "Scatter", new { Name = "cos x", Mode = StyleParam.Mode.Lines, X = Xs, Y = Ys.Select(y => -y).ToArray() }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void LineWithMarkersDashColourAndWidth()
    {
        int[] steps = [0, 50, 100];
        float[] losses = [4.1f, 3.2f, 2.9f];   // floats stay floats: 2.9f is written 2.9, not 2.9000000953674316
        var ours = new Figure().Line(steps, losses, "held-out", markers: true, dash: "dash", color: "rgb(214,39,40)", width: 2);

        var line = PlotlyNet.Call(typeof(Line), "init", new { Dash = StyleParam.DrawingStyle.Dash, Color = Color.fromString("rgb(214,39,40)"), Width = 2.0 });
        var expected = PlotlyNet.Figure(Layout(),
            PlotlyNet.Trace("scatter", "Scatter", new { Name = "held-out", Mode = StyleParam.Mode.Lines_Markers, X = steps, Y = losses, Line = line }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void ScatterWithHoverText()
    {
        string[] words = ["cat", "dog", "<|endoftext|>"];
        var ours = new Figure("Embeddings").Scatter(Xs[..3], Ys[..3], "words", hoverText: words);

        var expected = PlotlyNet.Figure(Layout(title: "Embeddings"),
            PlotlyNet.Trace("scatter", "Scatter", new { Name = "words", Mode = StyleParam.Mode.Markers, X = Xs[..3], Y = Ys[..3], MultiText = words }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void GroupedVerticalBarsWithLabels()
    {
        string[] kinds = ["English", "code", "numbers"];
        double[] a = [1.3, 2.25, 3], b = [1.1, 1.9, 2.5];
        string[] labels = ["1.3", "2.25", "3"];
        var ours = new Figure("Tokens per word").BarMode("group").Height(360)
            .Bar(kinds, a, "bytes", labels: labels).Bar(kinds, b, "cl100k_base");

        var expected = PlotlyNet.Figure(Layout(title: "Tokens per word", height: 360, barMode: StyleParam.BarMode.Group),
            PlotlyNet.Trace("bar", "Bar", new { Name = "bytes", X = kinds, Y = a, MultiText = labels, TextPosition = StyleParam.TextPosition.Auto }),
            PlotlyNet.Trace("bar", "Bar", new { Name = "cl100k_base", X = kinds, Y = b }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void HorizontalBarsWithLabels()
    {
        string[] tokens = ["\" the\"", "\" a\"", "\" and\""];
        double[] p = [0.42, 0.31, 0.05];
        string[] labels = ["42%", "31%", "5%"];
        var ours = new Figure("Next token").Bar(tokens, p, horizontal: true, labels: labels).XAxis("probability");

        var expected = PlotlyNet.Figure(Layout(title: "Next token", x: Axis("probability")),
            PlotlyNet.Trace("bar", "Bar", new { Orientation = StyleParam.Orientation.Horizontal, X = p, Y = tokens, MultiText = labels, TextPosition = StyleParam.TextPosition.Auto }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void StackedBars()
    {
        string[] buckets = ["0×", "1×", "2-3×"];
        int[] capitals = [3, 5, 2], inventors = [4, 1, 6];
        var ours = new Figure("Facts").Bar(buckets, capitals, "capital").Bar(buckets, inventors, "inventor").BarMode("stack").XAxis("mentions").YAxis("facts").Height(340);

        var expected = PlotlyNet.Figure(Layout(title: "Facts", x: Axis("mentions"), y: Axis("facts"), height: 340, barMode: StyleParam.BarMode.Stack),
            PlotlyNet.Trace("bar", "Bar", new { Name = "capital", X = buckets, Y = capitals }),
            PlotlyNet.Trace("bar", "Bar", new { Name = "inventor", X = buckets, Y = inventors }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void HistogramWithBins()
    {
        double[] lengths = [3, 5, 5, 8, 13, 21, 34];
        var ours = new Figure().Histogram(lengths, "document length", bins: 10);

        var expected = PlotlyNet.Figure(Layout(),
            PlotlyNet.Trace("histogram", "Histogram", new { Name = "document length", X = lengths, NBinsX = 10 }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void HeatmapWithLabelsColourScaleRangeHoverAndReversedY()
    {
        var z = new double[,] { { 1, 0, 0 }, { 0.4, 0.6, 0 }, { 0.2, 0.3, 0.5 } };
        string[] tokens = ["0:The", "1: cat", "2: sat"];
        var ours = new Figure("Attention").Heatmap(z, tokens, tokens, range: (0, 1), hoverTemplate: "%{y} attends to %{x}: %{z:.2f}")
            .XAxis("key").YAxis("query").Height(420);

        double[][] rows = [[1, 0, 0], [0.4, 0.6, 0], [0.2, 0.3, 0.5]];
        var heatmap = PlotlyNet.Trace("heatmap", "Heatmap", new { Z = rows, X = tokens, Y = tokens, ZMin = 0.0, ZMax = 1.0, HoverTemplate = "%{y} attends to %{x}: %{z:.2f}<extra></extra>" });
        // plotly.js has a "Blues" scale; Plotly.NET's StyleParam.Colorscale has no case for it.
        heatmap.SetProperty("colorscale", "Blues");
        var expected = PlotlyNet.Figure(Layout(title: "Attention", x: Axis("key"), y: Axis("query", reversed: true), height: 420), heatmap);

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void Funnel()
    {
        string[] stages = ["crawl", "after URL filter", "after dedup"];
        int[] pages = [2000, 1500, 900];
        var ours = new Figure("Pages through the pipeline").Funnel(stages, pages);

        var funnel = PlotlyNet.Trace("funnel", "Funnel", new { X = pages, Y = stages });
        // plotly.js's textinfo flag "percent initial" has no case in Plotly.NET's StyleParam.TextInfo.
        funnel.SetProperty("textinfo", "value+percent initial");
        var expected = PlotlyNet.Figure(Layout(title: "Pages through the pipeline"), funnel);

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void LogAxes()
    {
        double[] mentions = [1, 10, 100, 1000], recall = [0.01, 0.2, 0.7, 0.95];
        var ours = new Figure("Recall").Line(mentions, recall, "recall", markers: true).XAxis("mentions", log: true).YAxis("recall", log: true);

        var expected = PlotlyNet.Figure(Layout(title: "Recall", x: Axis("mentions", log: true), y: Axis("recall", log: true)),
            PlotlyNet.Trace("scatter", "Scatter", new { Name = "recall", Mode = StyleParam.Mode.Lines_Markers, X = mentions, Y = recall }));

        AssertSameFigure(expected, ours);
    }

    [Fact]
    public void MissingValuesAreNullSoPlotlyLeavesAGap()
    {
        // Plotly.NET writes NaN as the bare word NaN, which is not JSON: there is no reference to compare with here.
        var json = JsonNode.Parse(new Figure().Line(new[] { 1, 2, 3 }, new[] { 2.0, double.NaN, float.PositiveInfinity }).ToPlotly().ToJson())!;

        Assert.Equal("[2,null,null]", json["data"]![0]!["y"]!.ToJsonString());
    }

    /// <summary>Plotly.NET's figure JSON also carries an empty "frames" list, which plotly.js does not need.</summary>
    static void AssertSameFigure(JsonNode expected, Figure ours)
    {
        var actual = JsonNode.Parse(ours.ToPlotly().ToJson())!;
        Assert.Equal(["data", "layout"], actual.AsObject().Select(p => p.Key).Order());
        JsonTree.AssertEqual(expected["data"], actual["data"], "$.data");
        JsonTree.AssertEqual(expected["layout"], actual["layout"], "$.layout");
    }

    /// <summary>The layout every Figure has: plotly's own axes with automargin, the course's margins, a height, and what the chart adds.</summary>
    static Layout Layout(string? title = null, LinearAxis? x = null, LinearAxis? y = null, int height = 380, StyleParam.BarMode? barMode = null)
    {
        var margin = PlotlyNet.Call(typeof(Margin), "init", new { Left = 60, Right = 20, Top = title is null ? 20 : 50, Bottom = 50 });
        var layout = (Layout)PlotlyNet.Call(typeof(Layout), "init", new { Title = title is null ? null : Title(title), Margin = margin, Height = height, BarMode = barMode });
        layout.SetProperty("xaxis", x ?? Axis());
        layout.SetProperty("yaxis", y ?? Axis());
        return layout;
    }

    static LinearAxis Axis(string? title = null, bool log = false, bool reversed = false)
    {
        var axis = (LinearAxis)PlotlyNet.Call(typeof(LinearAxis), "init", new
        {
            Title = title is null ? null : Title(title),
            AxisType = log ? StyleParam.AxisType.Log : null,
            AutoRange = reversed ? StyleParam.AutoRange.Reversed : null,
        });
        // plotly.js takes automargin: true; Plotly.NET's StyleParam.TickAutoMargin only spells out flag lists.
        axis.SetProperty("automargin", true);
        return axis;
    }

    static Title Title(string text) => (Title)PlotlyNet.Call(typeof(Title), "init", new { Text = text });
}
