namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// What display(...) returns: a handle whose Update(...) replaces the output display(...) made, wherever it is
/// (over Jupyter, an update_display_data for that output's display id). A training loop uses it to redraw its
/// loss chart.
/// </summary>
/// <remarks>
/// The .NET Interactive kernel's handle carries another id than its output (its DisplayExtensions since June
/// 2025), so there VS Code appends a second output and Jupyter front ends drop the updates. This engine does
/// not copy that bug: the course's live cells use LlmCourse.Visuals.LiveOutput, which works around it in that
/// kernel, and the tests that run every notebook in the real kernel (tests/LlmCourse.Tests/RealKernel) show a
/// notebook that calls display(x).Update(y) directly as a difference.
/// </remarks>
public sealed class DisplayedValue
{
    readonly Action<string, object?> _update;

    internal DisplayedValue(string displayId, Action<string, object?> update)
    {
        DisplayId = displayId;
        _update = update;
    }

    /// <summary>The display id of the output this handle updates.</summary>
    public string DisplayId { get; }

    public void Update(object? updatedValue) => _update(DisplayId, updatedValue);
}
