namespace LlmCourse.Tests.RealKernel;

/// <summary>How the real .NET Interactive kernel is driven: as VS Code's Polyglot Notebooks does, or as a Jupyter front end does.</summary>
public enum FrontEnd
{
    /// <summary><c>dotnet-interactive [vscode] stdio</c>, its JSON command and event protocol (LlmCourse.Notebooks.DotNetInteractive.PolyglotSession).</summary>
    VSCode,

    /// <summary><c>dotnet-interactive jupyter</c> with a connection file, through the course's Jupyter client, updates applied by display id.</summary>
    Jupyter,
}
