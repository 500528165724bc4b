using System.Text.Json.Serialization;

namespace LlmCourse.Visuals.Plotly;

/// <summary>
/// One series of a figure. Coordinates are kept as the values the caller gave (numbers stay numbers, text stays
/// text), because plotly decides from them whether an axis is numeric or a list of categories.
/// </summary>
// Listed so System.Text.Json writes each trace with its own attributes; no type marker is written, plotly's own
// "type" attribute says what a trace is.
[JsonDerivedType(typeof(ScatterTrace))]
[JsonDerivedType(typeof(BarTrace))]
[JsonDerivedType(typeof(HistogramTrace))]
[JsonDerivedType(typeof(HeatmapTrace))]
[JsonDerivedType(typeof(FunnelTrace))]
public abstract record Trace(string Type)
{
    /// <summary>The legend entry; traces without one get no entry in the static picture.</summary>
    public string? Name { get; init; }
}

/// <summary>Points joined by lines ("lines"), drawn as dots ("markers"), or both ("lines+markers").</summary>
public sealed record ScatterTrace(IReadOnlyList<object?> X, IReadOnlyList<object?> Y, string Mode) : Trace("scatter")
{
    public LineStyle? Line { get; init; }
    /// <summary>Per-point text, shown on hover.</summary>
    public IReadOnlyList<string>? Text { get; init; }

    [JsonIgnore] public bool HasLines => Mode.Contains("lines", StringComparison.Ordinal);
    [JsonIgnore] public bool HasMarkers => Mode.Contains("markers", StringComparison.Ordinal);
}

/// <summary>Colour, width (px) and dash ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot") of a line.</summary>
public sealed record LineStyle
{
    public string? Color { get; init; }
    public double? Width { get; init; }
    public string? Dash { get; init; }
}

/// <summary>
/// Bars: categories on x and values on y, or the other way round when <see cref="Orientation"/> is "h".
/// <see cref="Text"/> labels each bar, placed inside or outside as it fits (<see cref="TextPosition"/> "auto").
/// </summary>
public sealed record BarTrace(IReadOnlyList<object?> X, IReadOnlyList<object?> Y) : Trace("bar")
{
    public string? Orientation { get; init; }
    public IReadOnlyList<string>? Text { get; init; }
    public string? TextPosition { get; init; }

    [JsonIgnore] public bool IsHorizontal => Orientation == "h";
    [JsonIgnore] public IReadOnlyList<object?> Categories => IsHorizontal ? Y : X;
    [JsonIgnore] public IReadOnlyList<object?> Values => IsHorizontal ? X : Y;
}

/// <summary>Counts of <see cref="X"/> in equal bins; plotly chooses round bin edges, at most <see cref="NBinsX"/> bins.</summary>
public sealed record HistogramTrace(IReadOnlyList<object?> X) : Trace("histogram")
{
    public int? NBinsX { get; init; }
}

/// <summary>
/// A matrix as colours: <see cref="Z"/>[row][column], rows along y and columns along x. <see cref="ColorScale"/> is
/// one of plotly's named scales; <see cref="ZMin"/>/<see cref="ZMax"/> pin its ends instead of the data's extremes.
/// </summary>
public sealed record HeatmapTrace(double[][] Z) : Trace("heatmap")
{
    public IReadOnlyList<object?>? X { get; init; }
    public IReadOnlyList<object?>? Y { get; init; }
    public string? ColorScale { get; init; }
    public double? ZMin { get; init; }
    public double? ZMax { get; init; }
    /// <summary>plotly's hover text template, e.g. "%{y} attends to %{x}: %{z:.2f}".</summary>
    public string? HoverTemplate { get; init; }
}

/// <summary>Stages (<see cref="Y"/>) narrowing from top to bottom, each as wide as its value (<see cref="X"/>).</summary>
public sealed record FunnelTrace(IReadOnlyList<object?> X, IReadOnlyList<object?> Y) : Trace("funnel")
{
    /// <summary>What each bar says, e.g. "value+percent initial".</summary>
    public string? TextInfo { get; init; }
}
