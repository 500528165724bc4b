using System.Reflection;

namespace LlmCourse.Notebooks.Export;

/// <summary>
/// plotly.js itself, for exported pages that must draw their charts offline: put <see cref="ScriptTag"/> in the
/// page head and every chart draws without the network.
/// </summary>
/// <remarks>
/// The copy comes from the Plotly.NET package, which embeds plotly.js 2.28.0 in its assembly. The project
/// references that package only for this file (compile assets excluded, so no code here can call Plotly.NET):
/// the runner side never runs inside the notebook kernel, so Plotly.NET's FSharp.Core needs cannot clash there,
/// and the course library itself stays free of Plotly.NET. The assembly is loaded by name and only its
/// resources are read, so no F# code runs.
/// </remarks>
public static class PlotlyJs
{
    public const string Version = "2.28.0";

    public static string ScriptTag() => "<script type=\"text/javascript\">" + Source.Value + "</script>";

    static readonly Lazy<string> Source = new(() =>
    {
        var assembly = Assembly.Load(new AssemblyName("Plotly.NET"));
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"plotly-{Version}.min.js", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    });
}
