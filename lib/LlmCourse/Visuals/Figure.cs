using Plotly.NET;

namespace LlmCourse.Visuals;

/// <summary>
/// A small way to build Plotly.NET figures from C#: traces and layout as plotly.js attribute names
/// (the ones in plotly.js's reference), without Plotly.NET's F#-style optional arguments.
/// </summary>
internal static class Figure
{
    /// <summary>A trace of the given plotly.js type ("scatter", "bar", "heatmap") with its attributes.</summary>
    public static Trace Trace(string type, params (string Name, object? Value)[] attributes)
    {
        var trace = new Trace2D(type);
        foreach (var (name, value) in attributes)
            if (value is not null) trace.SetProperty(name, value);
        return trace;
    }

    /// <summary>Traces drawn on one set of axes, with a layout given as plotly.js attributes.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, params (string Name, object? Value)[] layout)
    {
        var chart = GenericChart.ofTraceObjects(false, traces.ToArray());
        var l = new Layout();
        foreach (var (name, value) in layout)
            if (value is not null) l.SetProperty(name, value);
        return GenericChart.setLayout(l, chart);
    }

    /// <summary>{"text": text}, the shape plotly.js wants for titles.</summary>
    public static Dictionary<string, object> Title(string text) => new() { ["text"] = text };

    public static Dictionary<string, object> Axis(string title, params (string Name, object Value)[] more)
    {
        var axis = new Dictionary<string, object> { ["title"] = Title(title) };
        foreach (var (name, value) in more) axis[name] = value;
        return axis;
    }

    public static Dictionary<string, object> Margin(int left, int right, int top, int bottom) =>
        new() { ["l"] = left, ["r"] = right, ["t"] = top, ["b"] = bottom };
}
