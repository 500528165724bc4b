using System.Runtime.InteropServices;
using LlmCourse.Visuals;
using TorchSharp;

namespace LlmCourse;

/// <summary>
/// What the course runs on: the versions a presenter checks before going on stage and a learner
/// pastes into a bug report. Shown as an HTML table in a notebook.
/// </summary>
public sealed class CourseEnvironment : HtmlView
{
    public string DotNet { get; } = RuntimeInformation.FrameworkDescription;
    public string OperatingSystem { get; } = RuntimeInformation.OSDescription;
    public string Architecture { get; } = RuntimeInformation.ProcessArchitecture.ToString();
    public int Cores { get; } = Environment.ProcessorCount;
    public string TorchSharp { get; } = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
    /// <summary>The version libtorch reports about itself, so it proves the native library is loaded.</summary>
    public string LibTorch { get; } = torch.__version__;
    public int TorchThreads { get; } = torch.get_num_threads();
    public string Library { get; } = typeof(CourseEnvironment).Assembly.GetName().Version?.ToString(3) ?? "?";

    public static CourseEnvironment Describe() => new();

    IEnumerable<(string Name, string Value)> Rows() =>
    [
        (".NET", DotNet), ("Operating system", OperatingSystem), ("Architecture", Architecture),
        ("CPU cores", Cores.ToString()), ("TorchSharp", TorchSharp), ("libtorch", LibTorch),
        ("Torch threads", TorchThreads.ToString()), ("LlmCourse library", Library),
    ];

    public override string ToHtml() =>
        "<table style=\"border-collapse:collapse\"><tbody>" +
        string.Concat(Rows().Select(r =>
            $"<tr><th style=\"text-align:left;padding:2px 12px 2px 0\">{Escape(r.Name)}</th><td style=\"padding:2px 0\">{Escape(r.Value)}</td></tr>")) +
        "</tbody></table>";

    public override string ToText() => string.Join("\n", Rows().Select(r => $"{r.Name}: {r.Value}"));
}
