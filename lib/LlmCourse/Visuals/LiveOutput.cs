using System.Reflection;

namespace LlmCourse.Visuals;

/// <summary>
/// One output that a running cell redraws in place: a live loss chart, a progress line. Every live cell
/// of the course uses it, so it ends showing its last value in every front end: VS Code with Polyglot
/// Notebooks, JupyterLab with the .NET kernel, JupyterLab with the course's kernel, and the headless runner.
/// </summary>
/// <example>
/// <code>
/// var chart = LiveOutput.Show(display, trainer.LossCurve());
/// trainer.StepCompleted += m => { if (m.Step % 20 == 0) chart.Update(trainer.LossCurve()); };
/// </code>
/// </example>
/// <remarks>
/// Why not <c>display(x).Update(y)</c>: in the .NET Interactive kernel (1.0.712001, its
/// Formatting/DisplayExtensions.cs) <c>display</c> raises the output with one new DisplayedValue and returns
/// another, whose display id no output carries. Its updates then match nothing: VS Code appends a second output
/// and leaves the first one stale, and Jupyter front ends drop every update, so the cell ends showing its first
/// value. The kernel's public <c>KernelInvocationContextExtensions.Display(context, value)</c> returns the very
/// DisplayedValue it raised, so its updates carry the output's own id: that is what this class uses there,
/// found by name so that the library does not depend on the kernel. In any other kernel (the course's), the
/// handle <c>display</c> returns already updates its own output.
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

    /// <param name="display">The notebook's own <c>display</c> function (pass it as it is: <c>display</c>).</param>
    /// <param name="first">What to show now.</param>
    public static LiveOutput Show(Func<object, string[], object> display, object first) =>
        new(DotNetInteractiveDisplay(display) is { } show ? show(first) : display(first, []));

    /// <summary>Replaces what the output shows.</summary>
    public void Update(object value) => _update.Invoke(_handle, [value]);

    /// <summary>
    /// In the .NET Interactive kernel (<paramref name="display"/> is its <c>Kernel.display</c>), a function that shows
    /// a value through the running command's KernelInvocationContext and returns the handle of that same output;
    /// elsewhere null.
    /// </summary>
    static Func<object, object>? DotNetInteractiveDisplay(Func<object, string[], object> display)
    {
        var kernelAssembly = display.Method.DeclaringType?.Assembly;
        var context = kernelAssembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext");
        var extensions = kernelAssembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContextExtensions");
        var current = context?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static);
        var show = context is null ? null : extensions?.GetMethod("Display", BindingFlags.Public | BindingFlags.Static, [context, typeof(object), typeof(string[])]);
        if (current is null || show is null || current.GetValue(null) is not { } running) return null;
        return value => show.Invoke(null, [running, value, Array.Empty<string>()])!;
    }
}
