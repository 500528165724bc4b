using LlmCourse.Visuals.Plotly;

namespace LlmCourse.Visuals.Svg;

/// <summary>A line (and/or dots) through points, in axis units.</summary>
internal sealed record LineMark(string Name, string Color, double Width, string? Dash, bool Lines, bool Markers,
                                IReadOnlyList<(double X, double Y)> Points, IReadOnlyList<string?> Tooltips);

/// <summary>One bar: its centre and thickness across the bars, and where it starts and ends along the values.</summary>
internal readonly record struct Bar(double Position, double Thickness, double Start, double End, string? Label, string Tooltip);

/// <summary>A bar trace, histogram or funnel: bars of one colour, already placed (grouped, stacked, centred).</summary>
internal sealed record BarMark(string Name, string Color, bool Horizontal, IReadOnlyList<Bar> Bars, bool IsFunnel);

/// <summary>One legend entry: the sample drawn ("line", "dot", "line+dot" or "box") beside the trace's name.</summary>
internal sealed record LegendEntry(string Name, string Color, string Symbol, double Width = 2, string? Dash = null);

/// <summary>A heatmap: cell colours come from <see cref="Scale"/> between <see cref="ZMin"/> and <see cref="ZMax"/>.</summary>
internal sealed record HeatmapMark(double[][] Z, double[] XAt, double[] YAt, string[] XNames, string[] YNames, ColorScale Scale,
                                   double ZMin, double ZMax, string? HoverTemplate);

/// <summary>
/// The figure's traces reduced to what the picture draws, in axis units (a category's index, log10 of a value on
/// a log axis), with plotly's placement rules applied: bars side by side or stacked by bar mode, histograms
/// binned, funnels centred; and, per axis, the range the data asks for.
/// </summary>
internal sealed class ChartMarks
{
    /// <summary>plotly.js's default trace colours, given out in trace order.</summary>
    public static readonly string[] Colorway = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public AxisKind XKind { get; private init; }
    public AxisKind YKind { get; private init; }
    public List<string> XCategories { get; } = [];
    public List<string> YCategories { get; } = [];
    public AxisExtent XExtent { get; } = new();
    public AxisExtent YExtent { get; } = new();
    public List<LineMark> Lines { get; } = [];
    public List<BarMark> Bars { get; } = [];
    public List<HeatmapMark> Heatmaps { get; } = [];
    /// <summary>A funnel's value axis shows no ticks: the bars carry their values.</summary>
    public bool XHidden { get; private set; }
    public bool YReversed { get; private init; }

    public bool Stacked { get; private init; }

    /// <summary>
    /// Legend entries: plotly shows a legend once two or more traces with data could have one (heatmaps have a colour
    /// bar instead), listing stacked bars top first, as they are piled.
    /// </summary>
    public IReadOnlyList<LegendEntry> Legend
    {
        get
        {
            var entries = Lines.Where(l => l.Points.Count > 0)
                .Select(l => new LegendEntry(l.Name, l.Color, l.Lines ? (l.Markers ? "line+dot" : "line") : "dot", Math.Clamp(l.Width, 1, 5), l.Dash))
                .Concat(Bars.Where(b => b.Bars.Count > 0).Select(b => new LegendEntry(b.Name, b.Color, "box"))).ToList();
            if (Stacked && Lines.Count == 0 && Bars.All(b => !b.Horizontal)) entries.Reverse();
            return entries.Count >= 2 ? entries : [];
        }
    }

    public static ChartMarks From(PlotlyFigure figure)
    {
        var traces = figure.Data;
        var marks = new ChartMarks
        {
            XKind = KindOf(figure.Layout.XAxis, traces.SelectMany(XValues)),
            YKind = KindOf(figure.Layout.YAxis, traces.SelectMany(YValues)),
            // A funnel narrows downwards: plotly reverses its y axis unless the figure says otherwise.
            YReversed = figure.Layout.YAxis.AutoRange == "reversed" || (figure.Layout.YAxis.AutoRange is null && traces.Any(t => t is FunnelTrace)),
            Stacked = figure.Layout.BarMode is "stack" or "relative",
        };
        marks.Place(traces, figure.Layout.BarMode ?? "group");
        return marks;
    }

    static IEnumerable<object?> XValues(Trace trace) => trace switch
    {
        ScatterTrace s => s.X, BarTrace b => b.X, HistogramTrace h => h.X, HeatmapTrace h => h.X ?? [], FunnelTrace f => f.X, _ => [],
    };

    static IEnumerable<object?> YValues(Trace trace) => trace switch
    {
        ScatterTrace s => s.Y, BarTrace b => b.Y, HeatmapTrace h => h.Y ?? [], FunnelTrace f => f.Y, _ => [],
    };

    static AxisKind KindOf(Axis axis, IEnumerable<object?> values) =>
        axis.Type == "log" ? AxisKind.Log : values.Any(PlotValues.IsCategory) ? AxisKind.Category : AxisKind.Linear;

    double X(object? value) => Units(XKind, XCategories, value);
    double Y(object? value) => Units(YKind, YCategories, value);

    static double Units(AxisKind kind, List<string> categories, object? value)
    {
        switch (kind)
        {
            case AxisKind.Category:
                if (value is null) return double.NaN;
                var name = PlotValues.Name(value);
                var index = categories.IndexOf(name);
                if (index < 0) { categories.Add(name); index = categories.Count - 1; }
                return index;
            case AxisKind.Log:
                var v = PlotValues.Number(value);
                return v > 0 ? Math.Log10(v) : double.NaN;
            default:
                return PlotValues.Number(value);
        }
    }

    /// <summary>A value on the value axis of a bar, in axis units (0 on a log axis has no place: NaN, drawn from the edge).</summary>
    static double ValueUnits(AxisKind kind, double value) => kind == AxisKind.Log ? (value > 0 ? Math.Log10(value) : double.NaN) : value;

    void Place(IReadOnlyList<Trace> traces, string barMode)
    {
        var barLike = new List<(int Index, Trace Trace)>();
        for (var i = 0; i < traces.Count; i++)
        {
            var color = Colorway[i % Colorway.Length];
            var name = traces[i].Name ?? $"trace {i}";
            switch (traces[i])
            {
                case ScatterTrace s: AddScatter(s, name, color); break;
                case HeatmapTrace h: AddHeatmap(h); break;
                case FunnelTrace f: AddFunnel(f, name, color); break;
                case BarTrace or HistogramTrace: barLike.Add((i, traces[i])); break;
            }
        }
        if (barLike.Count > 0) AddBars(barLike, barMode);
    }

    void AddScatter(ScatterTrace trace, string name, string color)
    {
        var points = trace.X.Zip(trace.Y, (x, y) => (X(x), Y(y))).ToList();
        var markers = trace.HasMarkers;
        foreach (var (x, y) in points)
        {
            // plotly pads a scatter's y range by 5%; x only when there are markers (a line ends where its data ends).
            XExtent.Include(x, markers ? 0.05 : 0, markers ? 3 : 0);
            YExtent.Include(y, 0.05, markers ? 3 : 0);
        }
        var tooltips = points.Select((p, i) =>
            (string?)$"{name}: ({Describe(trace.X[i])}, {Describe(trace.Y[i])})" + (trace.Text is { } t && i < t.Count ? "\n" + t[i] : "")).ToList();
        Lines.Add(new LineMark(name, trace.Line?.Color ?? color, trace.Line?.Width ?? 2, trace.Line?.Dash, trace.HasLines, markers, points, tooltips));
    }

    static string Describe(object? value) => PlotValues.TryNumber(value, out var d) && value is not string ? SvgText.Value(d) : PlotValues.Name(value);

    void AddHeatmap(HeatmapTrace trace)
    {
        var rows = trace.Z.Length;
        var columns = rows == 0 ? 0 : trace.Z.Max(r => r.Length);
        // Cells sit on their labels (categories) or, without labels, on 0, 1, 2, ...
        double[] Centres(int count, IReadOnlyList<object?>? labels, Func<object?, double> units) =>
            Enumerable.Range(0, count).Select(i => labels is not null && i < labels.Count ? units(labels[i]) : i).ToArray();
        string[] Names(int count, IReadOnlyList<object?>? labels) =>
            Enumerable.Range(0, count).Select(i => labels is not null && i < labels.Count ? PlotValues.Name(labels[i]) : i.ToString()).ToArray();
        var xAt = Centres(columns, trace.X, X);
        var yAt = Centres(rows, trace.Y, Y);
        foreach (var x in xAt) { XExtent.Include(x - 0.5); XExtent.Include(x + 0.5); }
        foreach (var y in yAt) { YExtent.Include(y - 0.5); YExtent.Include(y + 0.5); }
        var finite = trace.Z.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        Heatmaps.Add(new HeatmapMark(trace.Z, xAt, yAt, Names(columns, trace.X), Names(rows, trace.Y), ColorScale.Named(trace.ColorScale),
                                     trace.ZMin ?? finite.Min(), trace.ZMax ?? finite.Max(), trace.HoverTemplate));
    }

    // Each stage is a bar centred on zero, as wide as its value, labelled with the value and its share of the first stage.
    void AddFunnel(FunnelTrace trace, string name, string color)
    {
        XHidden = true;
        var values = trace.X.Select(PlotValues.Number).ToArray();
        var first = values.FirstOrDefault(double.IsFinite);
        var info = trace.TextInfo ?? "value";
        var bars = new List<Bar>();
        for (var i = 0; i < Math.Min(values.Length, trace.Y.Count); i++)
        {
            var (v, at) = (values[i], Y(trace.Y[i]));
            var parts = new List<string>();
            if (info.Contains("value")) parts.Add(SvgText.Value(v));
            if (info.Contains("percent initial") && first != 0) parts.Add(Percent(v / first));
            var stage = PlotValues.Name(trace.Y[i]);
            bars.Add(new Bar(at, 0.8, -v / 2, v / 2, string.Join("\n", parts), $"{stage}: {SvgText.Value(v)}" + (first != 0 ? $" ({Percent(v / first)} of {SvgText.Value(first)})" : "")));
            XExtent.Include(-v / 2, 0.05);
            XExtent.Include(v / 2, 0.05);
            YExtent.Include(at - 0.5);
            YExtent.Include(at + 0.5);
        }
        Bars.Add(new BarMark(name, color, Horizontal: true, bars, IsFunnel: true));
    }

    static string Percent(double ratio) => SvgText.Minus(Math.Round(100 * ratio).ToString(System.Globalization.CultureInfo.InvariantCulture)) + "%";

    /// <summary>
    /// Bars and histograms share the category slots, as in plotly: each slot is the smallest distance between two
    /// positions less a 20% gap (no gap when all are histograms, whose bins touch); "group" splits it among the traces,
    /// "stack" and "relative" pile the traces up, "overlay" draws them over each other.
    /// </summary>
    void AddBars(List<(int Index, Trace Trace)> traces, string barMode)
    {
        var horizontal = traces.Any(t => t.Trace is BarTrace { IsHorizontal: true });
        var raw = traces.Select(t => t.Trace switch
        {
            BarTrace b => BarItems(b, horizontal),
            HistogramTrace h => HistogramItems(h),
            _ => [],
        }).ToList();

        var positions = raw.Zip(traces).Where(p => p.Second.Trace is BarTrace).SelectMany(p => p.First.Select(b => b.Position))
                           .Where(double.IsFinite).Distinct().Order().ToArray();
        var minGap = positions.Zip(positions.Skip(1), (a, b) => b - a).DefaultIfEmpty(1).Min();
        var gap = traces.All(t => t.Trace is HistogramTrace) ? 0 : 0.2;
        var grouped = barMode == "group";
        var valueKind = horizontal ? XKind : YKind;
        var stackedUp = new Dictionary<double, double>();
        var stackedDown = new Dictionary<double, double>();

        for (var k = 0; k < traces.Count; k++)
        {
            var (index, trace) = traces[k];
            var bars = new List<Bar>();
            foreach (var item in raw[k])
            {
                var slot = (trace is HistogramTrace ? item.Thickness : minGap) * (1 - gap);
                var thickness = grouped ? slot / traces.Count : slot;
                var position = grouped ? item.Position - slot / 2 + thickness * (k + 0.5) : item.Position;
                var start = 0.0;
                if (barMode is "stack" or "relative")
                {
                    var pile = barMode == "relative" && item.Value < 0 ? stackedDown : stackedUp;
                    start = pile.GetValueOrDefault(item.Position);
                    pile[item.Position] = start + item.Value;
                }
                var end = start + item.Value;
                bars.Add(new Bar(position, thickness, ValueUnits(valueKind, start), ValueUnits(valueKind, end), item.Label, item.Tooltip));

                var (along, across) = horizontal ? (XExtent, YExtent) : (YExtent, XExtent);
                across.Include(position - thickness / 2);
                across.Include(position + thickness / 2);
                // Bars grow from zero: the range reaches zero exactly and keeps 5% room at the far end
                // (a bar of height 0 has no far end, so it adds no room below zero).
                along.Include(ValueUnits(valueKind, start));
                if (item.Value != 0) along.Include(ValueUnits(valueKind, end), 0.05);
            }
            var name = trace.Name ?? $"trace {index}";
            Bars.Add(new BarMark(name, Colorway[index % Colorway.Length], horizontal, bars, IsFunnel: false));
        }
    }

    readonly record struct BarItem(double Position, double Thickness, double Value, string? Label, string Tooltip);

    List<BarItem> BarItems(BarTrace trace, bool horizontal)
    {
        var items = new List<BarItem>();
        var (categories, values) = (trace.Categories, trace.Values);
        for (var i = 0; i < Math.Min(categories.Count, values.Count); i++)
        {
            var position = horizontal ? Y(categories[i]) : X(categories[i]);
            var value = PlotValues.Number(values[i]);
            if (!double.IsFinite(position) || !double.IsFinite(value)) continue;
            var label = trace.Text is { } text && i < text.Count ? text[i] : null;
            var who = trace.Name is null ? "" : trace.Name + ": ";
            items.Add(new BarItem(position, 1, value, label, $"{who}{PlotValues.Name(categories[i])}, {SvgText.Value(value)}"));
        }
        return items;
    }

    /// <summary>
    /// plotly's automatic bins: a round bin size (1, 2.5 or 5 times a power of ten) giving at most the asked-for number
    /// of bins; whole-number data get bins of at least 1, centred on the integers. Text values are counted per category.
    /// </summary>
    List<BarItem> HistogramItems(HistogramTrace trace)
    {
        var who = trace.Name is null ? "" : trace.Name + ": ";
        if (XKind == AxisKind.Category)
            return trace.X.Where(v => v is not null).GroupBy(PlotValues.Name)
                .Select(g => new BarItem(X(g.Key), 1, g.Count(), null, $"{who}{g.Key}, {g.Count()}")).ToList();

        var data = trace.X.Select(X).Where(double.IsFinite).ToArray();
        if (data.Length == 0) return [];
        var (min, max) = (data.Min(), data.Max());
        var bins = trace.NBinsX ?? Math.Clamp((int)Math.Ceiling(Math.Sqrt(data.Length)), 5, 50);
        var size = max > min ? AxisScale.NiceStep((max - min) / bins) : 1;
        var integers = XKind == AxisKind.Linear && data.All(d => d == Math.Round(d));
        if (integers) size = Math.Max(1, Math.Round(size));
        var start = Math.Floor(min / size) * size - (integers ? 0.5 : 0);
        if (integers && start + size <= min) start += size;
        var count = Math.Max(1, (int)Math.Floor((max - start) / size) + 1);
        var counts = new int[count];
        foreach (var d in data) counts[Math.Clamp((int)Math.Floor((d - start) / size), 0, count - 1)]++;
        return counts.Select((n, i) =>
        {
            var (lo, hi) = (start + i * size, start + (i + 1) * size);
            return new BarItem((lo + hi) / 2, size, n, null, $"{who}{SvgText.Value(lo)} to {SvgText.Value(hi)}: {n}");
        }).ToList();
    }
}
