using System.Text.RegularExpressions;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// The kernel's magic commands and directives that this runner does not support. Each gets a clear
/// reason instead of a confusing compiler error, so a notebook author knows what to change.
/// </summary>
internal static partial class CellDirectives
{
    /// <summary>The first unsupported directive in a cell: its 1-based line, the line, and why; or null.</summary>
    public static (int Line, string Text, string Reason)? FindUnsupported(string code)
    {
        var lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (NuGetReference().IsMatch(line))
                return (i + 1, line, "#r \"nuget:...\" is not supported by the headless runner: it has no network and no package " +
                    "resolver. Reference the built course library instead (#r \"../artifacts/course/LlmCourse.dll\"), " +
                    "and add packages to the library's project.");
            if (line.StartsWith("#i ", StringComparison.Ordinal) || line.StartsWith("#i\"", StringComparison.Ordinal))
                return (i + 1, line, "#i (package sources) is not supported by the headless runner: it does not restore packages.");
            if (line.StartsWith("#!", StringComparison.Ordinal) && !CSharpKernelSelector().IsMatch(line))
                return (i + 1, line, $"the magic command {line.Split(' ')[0]} is not supported by the headless runner: it runs " +
                    "C# cells only, with #r \"path\", display(...) and .Update(...). Keep notebooks to those so they run in " +
                    "both Polyglot Notebooks and CI.");
        }
        return null;
    }

    [GeneratedRegex(@"^#r\s+""nuget:", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetReference();

    // "#!csharp" / "#!c#" only select the C# kernel, which is what runs here anyway.
    [GeneratedRegex(@"^#!(csharp|c#)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex CSharpKernelSelector();
}
