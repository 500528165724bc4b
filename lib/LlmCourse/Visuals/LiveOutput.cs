using System.Reflection;

namespace LlmCourse.Visuals;

/// <summary>
/// One output that a running cell redraws in place: a live loss chart, a progress line. Every live cell
/// of the course uses it, so it looks the same in VS Code and in the headless runner.
/// </summary>
/// <example>
/// <code>
/// var chart = LiveOutput.Show(display, trainer.LossCurve());
/// trainer.StepCompleted += m => { if (m.Step % 20 == 0) chart.Update(trainer.LossCurve()); };
/// </code>
/// </example>
/// <remarks>
/// Why not display(x).Update(y) directly: in the .NET Interactive kernel the handle display(...) returns
/// has another display id than the output it made, so the first Update adds a second output and the
/// first one stays on screen, stale. Showing an invisible placeholder first and drawing every value,
/// the first included, through Update leaves exactly one visible output that updates in place. The
/// course's runner mirrors the kernel, so both show the same.
/// </remarks>
public sealed class LiveOutput
{
    readonly object _handle;
    readonly MethodInfo _update;

    LiveOutput(object handle)
    {
        _handle = handle;
        _update = handle.GetType().GetMethod("Update", [typeof(object)])
                  ?? throw new ArgumentException($"display(...) returned a {handle.GetType().Name}, which has no Update(object) method.", nameof(handle));
    }

    /// <summary>An output that shows nothing, in any front end.</summary>
    public static Html Placeholder { get; } = new("", "");

    /// <param name="display">The notebook's own <c>display</c> function (pass it as it is: <c>display</c>).</param>
    /// <param name="first">What to show now.</param>
    public static LiveOutput Show(Func<object, string[], object> display, object first)
    {
        var live = new LiveOutput(display(Placeholder, []));
        live.Update(first);
        return live;
    }

    /// <summary>Replaces what the output shows.</summary>
    public void Update(object value) => _update.Invoke(_handle, [value]);
}
