using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCourse.Visuals.Plotly;

/// <summary>
/// A chart as plotly.js reads it: <c>{"data": [traces], "layout": {...}}</c> (plotly.js 2.28.0's figure schema).
/// The course owns this small model instead of using Plotly.NET at run time: Plotly.NET needs a newer FSharp.Core
/// than the notebook kernel has loaded, and nothing here needs more than System.Text.Json. Only the attributes
/// the course's charts use are modelled; <see cref="Figure"/> builds them, <see cref="Svg.SvgChart"/> draws them
/// without JavaScript, and the tests check the JSON against Plotly.NET's for the same chart.
/// </summary>
public sealed record PlotlyFigure(IReadOnlyList<Trace> Data, Layout Layout)
{
    public string ToJson() => JsonSerializer.Serialize(this, PlotlyJson.Options);
}

/// <summary>Figure-wide settings. Width is left out on purpose: the chart takes the page's width.</summary>
public sealed record Layout
{
    public Title? Title { get; init; }
    public Axis XAxis { get; init; } = new();
    public Axis YAxis { get; init; } = new();
    public Margin? Margin { get; init; }
    public int? Height { get; init; }
    /// <summary>"group" (side by side), "stack", "overlay" or "relative"; plotly groups when unset.</summary>
    public string? BarMode { get; init; }
}

public sealed record Axis
{
    public Title? Title { get; init; }
    /// <summary>"log" for a logarithmic axis; unset lets plotly pick linear or category from the data.</summary>
    public string? Type { get; init; }
    /// <summary>"reversed" puts the first value at the top (y) or right (x).</summary>
    public string? AutoRange { get; init; }
    /// <summary>Grow the margins to fit tick labels and titles, so long category names are not cut off.</summary>
    public bool? AutoMargin { get; init; }
}

public sealed record Title(string Text);

/// <summary>Space around the plot area, in pixels (plotly's one-letter names).</summary>
public sealed record Margin(int L, int R, int T, int B);
