namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// What display(...) returns, as in the .NET Interactive kernel: a handle whose Update(...) shows a new
/// value. A training loop uses it to redraw its loss chart.
/// </summary>
/// <remarks>
/// The kernel gives the handle a different display id from the output display(...) made (its
/// DisplayExtensions since June 2025), so the first Update adds a second output and later updates
/// replace that one; the first output stays as it was. This engine does the same, on purpose: a
/// notebook must look the same here and in VS Code. Live cells therefore display an invisible
/// placeholder first (LlmCourse.Visuals.Live does this), so the output that stays behind shows nothing.
/// Over Jupyter the first update is a display_data carrying the handle's id, later ones are
/// update_display_data for that id.
/// </remarks>
public sealed class DisplayedValue
{
    readonly Action<string, object?, bool> _update;
    int _updates;

    internal DisplayedValue(string displayId, Action<string, object?, bool> update)
    {
        DisplayId = displayId;
        _update = update;
    }

    /// <summary>The id updates carry; not the id of the output display(...) made (see remarks).</summary>
    public string DisplayId { get; }

    public void Update(object? updatedValue) => _update(DisplayId, updatedValue, Interlocked.Increment(ref _updates) == 1);
}
