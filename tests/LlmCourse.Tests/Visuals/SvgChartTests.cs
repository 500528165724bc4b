using System.Xml.Linq;
using LlmCourse.Visuals;
using LlmCourse.Visuals.Svg;

namespace LlmCourse.Tests.Visuals;

/// <summary>The static picture shows what a reader of the chart would look for: the lines, bars and cells, the ticks and names.</summary>
public class SvgChartTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The chart as an SVG document (it must be well-formed XML: it is also embedded as is in notebook HTML).</summary>
    static XDocument Draw(Figure figure) => XDocument.Parse(SvgChart.Render(figure.ToPlotly()));

    static IEnumerable<XElement> WithClass(XDocument svg, string name, string cssClass) =>
        svg.Descendants(Svg + name).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    static List<string> Texts(XElement? group) => group?.Descendants(Svg + "text").Select(t => t.Value).ToList() ?? [];

    static XElement Axis(XDocument svg, string name) => WithClass(svg, "g", name).Single();

    [Fact]
    public void LineChartHasOnePathPerTraceTheTickLabelsTitlesAndLegend()
    {
        var xs = Enumerable.Range(0, 100).Select(i => i / 10.0).ToArray();
        var svg = Draw(new Figure("Two waves").Line(xs, xs.Select(Math.Sin), "sin x").Line(xs, xs.Select(Math.Cos), "cos x").XAxis("x").YAxis("y").Height(300));

        Assert.Equal(2, WithClass(svg, "path", "line").Count());
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x"], Texts(Axis(svg, "xaxis")));
        Assert.Equal(["−1", "−0.5", "0", "0.5", "1", "y"], Texts(Axis(svg, "yaxis")));
        Assert.Equal(["sin x", "cos x"], Texts(Axis(svg, "legend")));
        Assert.Equal("Two waves", WithClass(svg, "text", "title").Single().Value);
        Assert.Equal("300", svg.Root!.Attribute("height")!.Value);
    }

    [Fact]
    public void OneTraceHasNoLegendAndAMissingValueBreaksItsLine()
    {
        var svg = Draw(new Figure().Line(new[] { 1, 2, 3, 4, 5 }, new[] { 1.0, 2.0, double.NaN, 2.0, 1.0 }, "loss"));

        Assert.Empty(WithClass(svg, "g", "legend"));
        var d = WithClass(svg, "path", "line").Single().Attribute("d")!.Value;
        Assert.Equal(2, d.Count(c => c == 'M'));   // two pieces: the pen lifts over the gap
    }

    [Fact]
    public void MarkersAreDotsWithTheirHoverTextAsTooltips()
    {
        var svg = Draw(new Figure().Scatter(new[] { 0.1, 0.5, -0.3 }, new[] { 1.2, -0.4, 0.3 }, "words", hoverText: ["cat", "dog", "<tag>"]));

        var dots = WithClass(svg, "circle", "point").ToList();
        Assert.Equal(3, dots.Count);
        Assert.EndsWith("<tag>", dots[2].Element(Svg + "title")!.Value);
    }

    [Fact]
    public void LogAxisHasATickPerDecadeAndSmallerOnesBetween()
    {
        var svg = Draw(new Figure().Line(new[] { 1, 2, 3, 4, 5 }, new[] { 1.0, 10, 100, 1_000, 100_000 }).YAxis("count", log: true));

        var labels = Axis(svg, "yaxis").Elements(Svg + "text").ToList();
        Assert.Equal(["1", "10", "100", "1000", "10k", "100k", "count"], labels.Where(l => l.Attribute("font-size") is null || l.Value == "count").Select(l => l.Value));
        Assert.All(labels.Where(l => l.Attribute("font-size") is { } size && l.Value != "count"), l => Assert.Contains(l.Value, new[] { "2", "5" }));
    }

    [Fact]
    public void HeatmapHasOneCellPerValueColouredByItsScaleAndLabelledByItsTokens()
    {
        string[] tokens = ["0:The", "1: cat", "2: sat", "3:."];
        var z = new double[4, 4];
        for (var q = 0; q < 4; q++) for (var k = 0; k <= q; k++) z[q, k] = 1.0 / (q + 1);
        var svg = Draw(new Figure("Attention").Heatmap(z, tokens, tokens, range: (0, 1), hoverTemplate: "%{y} attends to %{x}: %{z:.2f}"));

        var cells = WithClass(svg, "rect", "cell").ToList();
        Assert.Equal(16, cells.Count);
        // plotly's "Blues" runs from dark blue (0) to light grey (1).
        Assert.Equal("rgb(220,220,220)", cells[0].Attribute("fill")!.Value);
        Assert.Equal("rgb(5,10,172)", cells[1].Attribute("fill")!.Value);
        Assert.Equal("1: cat attends to 0:The: 0.50", cells[4].Element(Svg + "title")!.Value);
        Assert.Equal(tokens, Texts(Axis(svg, "yaxis")));
        Assert.NotEmpty(WithClass(svg, "g", "colorbar"));
        // Top-down: the first query row is drawn above the last.
        Assert.True(double.Parse(cells[0].Attribute("y")!.Value) < double.Parse(cells[12].Attribute("y")!.Value));
    }

    [Fact]
    public void BarsCarryTheirLabelsAndTheirCategoryNames()
    {
        string[] buckets = ["0 (40)", "1 (35)", "2-3 (50)"];
        var svg = Draw(new Figure().Bar(buckets, new[] { 3.0, 40.0, 100.0 }, "recalled", labels: ["3%", "40%", "100%"]));

        Assert.Equal(3, WithClass(svg, "rect", "bar").Count());
        Assert.Equal(["3%", "40%", "100%"], Texts(WithClass(svg, "g", "bar-labels").Single()));
        Assert.Equal(buckets, Texts(Axis(svg, "xaxis")));
    }

    [Fact]
    public void GroupedBarsStandSideBySideAndStackedBarsOnTopOfEachOther()
    {
        string[] kinds = ["prose", "code"];
        Figure Chart(string mode) => new Figure().Bar(kinds, new[] { 2.0, 3.0 }, "a").Bar(kinds, new[] { 1.0, 1.0 }, "b").BarMode(mode);
        static List<(double X, double Y, double W, double H)> Bars(XDocument svg) => WithClass(svg, "rect", "bar").Select(r =>
            (double.Parse(r.Attribute("x")!.Value), double.Parse(r.Attribute("y")!.Value), double.Parse(r.Attribute("width")!.Value), double.Parse(r.Attribute("height")!.Value))).ToList();

        var grouped = Bars(Draw(Chart("group")));
        Assert.True(grouped[2].X >= grouped[0].X + grouped[0].W - 0.5);              // b's prose bar right of a's
        var stacked = Bars(Draw(Chart("stack")));
        Assert.Equal(stacked[0].X, stacked[2].X);                                     // same slot
        Assert.Equal(stacked[0].Y, stacked[2].Y + stacked[2].H, 0.2);                 // b sits on a
        Assert.Equal(["b", "a"], Texts(WithClass(Draw(Chart("stack")), "g", "legend").Single()));   // legend top first, as piled
    }

    [Fact]
    public void BarsStandOnTheBottomOfThePlotEvenWhenOneIsEmpty()
    {
        var svg = Draw(new Figure().Bar(["0×", "1×"], new[] { 0, 15 }, "capital").Bar(["0×", "1×"], new[] { 16, 25 }, "born").BarMode("stack"));

        var zero = double.Parse(WithClass(svg, "line", "zeroline").Single().Attribute("y1")!.Value);
        var clip = svg.Descendants(Svg + "clipPath").Single().Element(Svg + "rect")!;
        Assert.Equal(double.Parse(clip.Attribute("y")!.Value) + double.Parse(clip.Attribute("height")!.Value), zero, 0.2);
    }

    [Fact]
    public void HorizontalBarsListCategoriesDownTheLeft()
    {
        string[] tokens = ["\" the\"", "\" a\"", "<|endoftext|>"];
        var svg = Draw(new Figure().Bar(tokens, new[] { 0.5, 0.3, 0.2 }, horizontal: true, labels: ["50%", "30%", "20%"]));

        Assert.Equal(tokens, Texts(Axis(svg, "yaxis")));
        var bars = WithClass(svg, "rect", "bar").ToList();
        Assert.True(double.Parse(bars[0].Attribute("width")!.Value) > double.Parse(bars[2].Attribute("width")!.Value));
    }

    [Fact]
    public void HistogramCountsEveryValueOnceInRoundBins()
    {
        var values = Enumerable.Range(0, 100).Select(i => i * 1.0).ToArray();
        var svg = Draw(new Figure().Histogram(values, bins: 10));

        var counts = WithClass(svg, "rect", "bar").Select(r => int.Parse(r.Element(Svg + "title")!.Value.Split(": ")[^1])).ToList();
        Assert.Equal(100, counts.Sum());
        Assert.Equal(10, counts.Count);   // 99 / 10 rounded up to bins of 10, as plotly does
    }

    [Fact]
    public void FunnelShowsEachStageTopDownWithItsValueAndShareOfTheFirst()
    {
        var svg = Draw(new Figure("Pages").Funnel(["crawl", "filtered", "deduplicated"], new[] { 12_000, 6_000, 3_000 }));

        var bars = WithClass(svg, "rect", "bar").ToList();
        Assert.Equal(3, bars.Count);
        Assert.True(double.Parse(bars[0].Attribute("y")!.Value) < double.Parse(bars[2].Attribute("y")!.Value));
        Assert.Equal(["12k100%", "600050%", "300025%"], Texts(WithClass(svg, "g", "bar-labels").Single()));
        Assert.Equal(["crawl", "filtered", "deduplicated"], Texts(Axis(svg, "yaxis")));
        Assert.Empty(Texts(Axis(svg, "xaxis")));   // the bars carry their values; the value axis has no ticks
        Assert.Equal(2, WithClass(svg, "polygon", "connector").Count());
    }

    [Fact]
    public void LongCategoryNamesAreTurnedRatherThanOverlapping()
    {
        var names = Enumerable.Range(0, 12).Select(i => $"category number {i}").ToArray();
        var svg = Draw(new Figure().Bar(names, names.Select((_, i) => i + 1)));

        var labels = Axis(svg, "xaxis").Descendants(Svg + "text").ToList();
        Assert.All(labels, l => Assert.Contains("rotate(", (string?)l.Attribute("transform")));
    }

    [Fact]
    public void AChartWithoutDataStillDraws()
    {
        var svg = Draw(new LossCurve([]).Chart());   // a live loss chart before its first step

        Assert.Equal("Loss (lower is better)", WithClass(svg, "text", "title").Single().Value);
        Assert.Contains("step", Texts(Axis(svg, "xaxis")));
        Assert.Equal(["−1", "0", "1", "2", "3", "4"], Texts(Axis(svg, "yaxis")).Take(6));   // plotly's empty axes
        Assert.Empty(WithClass(svg, "g", "legend"));   // as in plotly, traces without data have no legend entry
    }

    [Fact]
    public void TextIsEscaped()
    {
        var svg = SvgChart.Render(new Figure("a < b & \"c\"").Bar(["<|endoftext|>", "\u0001"], new[] { 1, 2 }).ToPlotly());

        Assert.Contains("a &lt; b &amp; &quot;c&quot;", svg);
        Assert.Contains("&lt;|endoftext|&gt;", svg);
        XDocument.Parse(svg);   // a control character would make it malformed
    }
}
