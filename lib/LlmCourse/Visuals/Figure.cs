using LlmCourse.Visuals.Plotly;

namespace LlmCourse.Visuals;

/// <summary>
/// A chart described the way a notebook cell reads: <c>new Figure("Loss").Line(steps, losses, "train")</c>.
/// Each method adds a trace and returns the figure, so calls chain; the figure renders itself as HTML: a static
/// SVG picture that any page shows, replaced by the interactive plotly.js chart where scripts run.
/// </summary>
public sealed class Figure(string? title = null) : HtmlView
{
    readonly List<Trace> _traces = [];
    string? _xTitle, _yTitle, _barMode;
    bool _xLog, _yLog, _yReversed;
    int _height = 380;

    public Figure Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, bool markers = false, string? dash = null,
                               string? color = null, double? width = null) =>
        Add(new ScatterTrace(Values(x), Values(y), markers ? "lines+markers" : "lines")
        {
            Name = name,
            Line = dash is null && color is null && width is null ? null : new LineStyle { Dash = dash, Color = color, Width = width },
        });

    public Figure Scatter<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, IEnumerable<string>? hoverText = null) =>
        Add(new ScatterTrace(Values(x), Values(y), "markers") { Name = name, Text = hoverText?.ToArray() });

    /// <summary>Vertical bars; <paramref name="horizontal"/> swaps the axes (labels on y), as probability maps read best.</summary>
    public Figure Bar<TX, TY>(IEnumerable<TX> categories, IEnumerable<TY> values, string? name = null, bool horizontal = false,
                              IEnumerable<string>? labels = null)
    {
        var (c, v) = (Values(categories), Values(values));
        return Add(new BarTrace(horizontal ? v : c, horizontal ? c : v)
        {
            Name = name,
            Orientation = horizontal ? "h" : null,
            Text = labels?.ToArray(),
            TextPosition = labels is null ? null : "auto",
        });
    }

    public Figure Histogram<T>(IEnumerable<T> values, string? name = null, int? bins = null) =>
        Add(new HistogramTrace(Values(values)) { Name = name, NBinsX = bins });

    /// <summary>A matrix as colours; rows are y (top row first when <paramref name="topDown"/>).</summary>
    /// <param name="range">Fixes the colour scale (e.g. 0..1 for probabilities) instead of stretching it to the data.</param>
    /// <param name="hoverTemplate">plotly.js hover text, e.g. "%{y} attends to %{x}: %{z:.2f}".</param>
    public Figure Heatmap(double[,] z, IEnumerable<string>? x = null, IEnumerable<string>? y = null, string colorScale = "Blues",
                          bool topDown = true, (double Min, double Max)? range = null, string? hoverTemplate = null)
    {
        var rows = Enumerable.Range(0, z.GetLength(0)).Select(r => Enumerable.Range(0, z.GetLength(1)).Select(c => z[r, c]).ToArray()).ToArray();
        _yReversed |= topDown;
        return Add(new HeatmapTrace(rows)
        {
            X = x is null ? null : Values(x),
            Y = y is null ? null : Values(y),
            ColorScale = colorScale,
            ZMin = range?.Min,
            ZMax = range?.Max,
            // <extra></extra> drops the trace name box plotly adds beside the hover text.
            HoverTemplate = hoverTemplate is null ? null : hoverTemplate + "<extra></extra>",
        });
    }

    /// <summary>Stages narrowing from top to bottom, e.g. pages surviving each step of a data pipeline.</summary>
    public Figure Funnel<T>(IEnumerable<string> stages, IEnumerable<T> values, string? name = null) =>
        Add(new FunnelTrace(Values(values), Values(stages)) { Name = name, TextInfo = "value+percent initial" });

    public Figure XAxis(string title, bool log = false) { _xTitle = title; _xLog = log; return this; }
    public Figure YAxis(string title, bool log = false) { _yTitle = title; _yLog = log; return this; }
    public Figure Height(int pixels) { _height = pixels; return this; }
    /// <summary>Bars side by side ("group") or on top of each other ("stack").</summary>
    public Figure BarMode(string mode) { _barMode = mode; return this; }

    Figure Add(Trace trace)
    {
        _traces.Add(trace);
        return this;
    }

    // Boxed as given: plotly tells numbers from category names by the JSON type, so ints and floats must stay numbers.
    static object?[] Values<T>(IEnumerable<T> values) => values.Select(v => (object?)v).ToArray();

    /// <summary>The figure as plotly.js reads it (also what the static picture is drawn from), for anything this class does not cover.</summary>
    public PlotlyFigure ToPlotly() => new([.. _traces], new Layout
    {
        Title = title is null ? null : new Title(title),
        XAxis = AxisOf(_xTitle, _xLog, reversed: false),
        YAxis = AxisOf(_yTitle, _yLog, reversed: _yReversed),
        Margin = new Margin(L: 60, R: 20, T: title is null ? 20 : 50, B: 50),
        Height = _height,   // width follows the page
        BarMode = _barMode,
    });

    static Axis AxisOf(string? title, bool log, bool reversed) => new()
    {
        AutoMargin = true,
        Title = title is null ? null : new Title(title),
        Type = log ? "log" : null,
        AutoRange = reversed ? "reversed" : null,
    };

    public override string ToHtml() => new PlotlyView(ToPlotly()).ToHtml();

    public override string ToText() => $"[chart{(title is null ? "" : ": " + title)}, {_traces.Count} trace(s)]";
}
