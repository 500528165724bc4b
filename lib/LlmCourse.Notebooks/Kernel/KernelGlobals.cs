using LlmCourse.Notebooks.Formatting;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// The members a cell can call without qualification, mirroring the .NET Interactive C# kernel's.
/// Keep notebooks to these so they run in both the kernel and this runner.
/// </summary>
public sealed class KernelGlobals
{
    internal CSharpKernel? Kernel { get; set; }

    /// <summary>Shows a value now (not only at the end of the cell); the handle's Update replaces it.</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes)
    {
        var kernel = Kernel ?? throw new InvalidOperationException("display() is only available while a cell runs");
        return kernel.Display(value, mimeTypes);
    }
}
