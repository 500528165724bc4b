using LlmCourse.Notebooks.Formatting;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// The members a cell can call without qualification, mirroring the .NET Interactive C# kernel's.
/// Keep notebooks to these so they run in both the kernel and this runner.
/// </summary>
public sealed class KernelGlobals
{
    internal CSharpKernel? Kernel { get; set; }

    /// <summary>Shows a value now (not only at the end of the cell); the handle's Update shows a new value (see <see cref="DisplayedValue"/>).</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes)
    {
        var kernel = Kernel ?? throw new InvalidOperationException("display() is only available in a kernel");
        return kernel.Display(value, mimeTypes);
    }
}
