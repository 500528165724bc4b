using System.CommandLine;

namespace LlmCourse.Cli.Commands;

public static class NotebookCommands
{
    public static Command Run() => new("run", "Execute notebooks headlessly");
    public static Command Export() => new("export", "Render notebooks to HTML");
}
