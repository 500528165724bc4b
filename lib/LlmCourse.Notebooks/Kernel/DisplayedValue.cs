namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// What display(...) returns, as in the .NET Interactive kernel: a handle on one output that
/// Update(...) replaces in place. A training loop uses it to redraw its loss chart.
/// </summary>
public sealed class DisplayedValue
{
    readonly Action<CellOutput> _replace;
    readonly Func<object?, CellOutput> _render;

    internal DisplayedValue(Func<object?, CellOutput> render, Action<CellOutput> replace)
    {
        _render = render;
        _replace = replace;
    }

    public void Update(object? updatedValue) => _replace(_render(updatedValue));
}
