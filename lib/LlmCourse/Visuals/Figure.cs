using Plotly.NET;

namespace LlmCourse.Visuals;

/// <summary>
/// A chart described the way a notebook cell reads: <c>new Figure("Loss").Line(steps, losses, "train")</c>.
/// Plotly.NET holds the traces and layout and writes the figure JSON; this class is the small C# face on it
/// (Plotly.NET's own chart functions are F#-shaped: every optional argument must be passed from C#).
/// Each method adds a trace and returns the figure, so calls chain; the figure renders itself as HTML.
/// </summary>
public sealed class Figure(string? title = null) : HtmlView
{
    readonly List<Trace> _traces = [];
    string? _xTitle, _yTitle, _barMode;
    bool _xLog, _yLog, _yReversed;
    int _height = 380;

    public Figure Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, bool markers = false, string? dash = null,
                               string? color = null, double? width = null) =>
        Add("scatter", name, t =>
        {
            t.SetProperty("x", x.ToArray());
            t.SetProperty("y", y.ToArray());
            t.SetProperty("mode", markers ? "lines+markers" : "lines");
            var line = new Dictionary<string, object>();
            if (dash is not null) line["dash"] = dash;
            if (color is not null) line["color"] = color;
            if (width is double w) line["width"] = w;
            if (line.Count > 0) t.SetProperty("line", line);
        });

    public Figure Scatter<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, IEnumerable<string>? hoverText = null) =>
        Add("scatter", name, t =>
        {
            t.SetProperty("x", x.ToArray());
            t.SetProperty("y", y.ToArray());
            t.SetProperty("mode", "markers");
            if (hoverText is not null) t.SetProperty("text", hoverText.ToArray());
        });

    /// <summary>Vertical bars; <paramref name="horizontal"/> swaps the axes (labels on y), as probability maps read best.</summary>
    public Figure Bar<TX, TY>(IEnumerable<TX> categories, IEnumerable<TY> values, string? name = null, bool horizontal = false,
                              IEnumerable<string>? labels = null) =>
        Add("bar", name, t =>
        {
            t.SetProperty(horizontal ? "y" : "x", categories.ToArray());
            t.SetProperty(horizontal ? "x" : "y", values.ToArray());
            if (horizontal) t.SetProperty("orientation", "h");
            if (labels is not null) { t.SetProperty("text", labels.ToArray()); t.SetProperty("textposition", "auto"); }
        });

    public Figure Histogram<T>(IEnumerable<T> values, string? name = null, int? bins = null) =>
        Add("histogram", name, t =>
        {
            t.SetProperty("x", values.ToArray());
            if (bins is int n) t.SetProperty("nbinsx", n);
        });

    /// <summary>A matrix as colours; rows are y (top row first when <paramref name="topDown"/>).</summary>
    /// <param name="range">Fixes the colour scale (e.g. 0..1 for probabilities) instead of stretching it to the data.</param>
    /// <param name="hoverTemplate">plotly.js hover text, e.g. "%{y} attends to %{x}: %{z:.2f}".</param>
    public Figure Heatmap(double[,] z, IEnumerable<string>? x = null, IEnumerable<string>? y = null, string colorScale = "Blues",
                          bool topDown = true, (double Min, double Max)? range = null, string? hoverTemplate = null)
    {
        var rows = Enumerable.Range(0, z.GetLength(0)).Select(r => Enumerable.Range(0, z.GetLength(1)).Select(c => z[r, c]).ToArray()).ToArray();
        _yReversed |= topDown;
        return Add("heatmap", null, t =>
        {
            t.SetProperty("z", rows);
            if (x is not null) t.SetProperty("x", x.ToArray());
            if (y is not null) t.SetProperty("y", y.ToArray());
            t.SetProperty("colorscale", colorScale);
            if (range is var (min, max)) { t.SetProperty("zmin", min); t.SetProperty("zmax", max); }
            if (hoverTemplate is not null) t.SetProperty("hovertemplate", hoverTemplate + "<extra></extra>");
        });
    }

    /// <summary>Stages narrowing from top to bottom, e.g. pages surviving each step of a data pipeline.</summary>
    public Figure Funnel<T>(IEnumerable<string> stages, IEnumerable<T> values, string? name = null) =>
        Add("funnel", name, t =>
        {
            t.SetProperty("y", stages.ToArray());
            t.SetProperty("x", values.ToArray());
            t.SetProperty("textinfo", "value+percent initial");
        });

    public Figure XAxis(string title, bool log = false) { _xTitle = title; _xLog = log; return this; }
    public Figure YAxis(string title, bool log = false) { _yTitle = title; _yLog = log; return this; }
    public Figure Height(int pixels) { _height = pixels; return this; }
    /// <summary>Bars side by side ("group") or on top of each other ("stack").</summary>
    public Figure BarMode(string mode) { _barMode = mode; return this; }

    Figure Add(string type, string? name, Action<Trace> configure)
    {
        var trace = new Trace2D(type);
        if (name is not null) trace.SetProperty("name", name);
        configure(trace);
        _traces.Add(trace);
        return this;
    }

    /// <summary>The Plotly.NET chart, for anything this class does not cover. Without Plotly.NET's default
    /// 600×600 layout, so the chart takes the page's width.</summary>
    public GenericChart ToGenericChart()
    {
        var layout = new Layout();
        if (title is not null) layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        layout.SetProperty("xaxis", Axis(_xTitle, _xLog, reversed: false));
        layout.SetProperty("yaxis", Axis(_yTitle, _yLog, reversed: _yReversed));
        layout.SetProperty("margin", new Dictionary<string, object> { ["l"] = 60, ["r"] = 20, ["t"] = title is null ? 20 : 50, ["b"] = 50 });
        layout.SetProperty("height", _height);   // width follows the page
        if (_barMode is not null) layout.SetProperty("barmode", _barMode);
        return GenericChart.addLayout(layout, GenericChart.ofTraceObjects(false, _traces));
    }

    static Dictionary<string, object> Axis(string? title, bool log, bool reversed)
    {
        var axis = new Dictionary<string, object> { ["automargin"] = true };
        if (title is not null) axis["title"] = new Dictionary<string, object> { ["text"] = title };
        if (log) axis["type"] = "log";
        if (reversed) axis["autorange"] = "reversed";
        return axis;
    }

    public override string ToHtml() => new PlotlyView(ToGenericChart(), _height).ToHtml();

    public override string ToText() => $"[chart{(title is null ? "" : ": " + title)}, {_traces.Count} trace(s)]";
}
