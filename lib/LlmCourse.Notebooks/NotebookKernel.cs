using LlmCourse.Notebooks.DotNetInteractive;
using LlmCourse.Notebooks.Jupyter;

namespace LlmCourse.Notebooks;

/// <summary>
/// Which kernel a notebook runs in, and how it is driven: the course's own engine (in this process, or as a Jupyter
/// kernel process), or the real .NET Interactive kernel as VS Code or as a Jupyter front end drives it. Each run
/// starts a fresh kernel; <see cref="Name"/> says which, on the run's summary and front page.
/// </summary>
public sealed class NotebookKernel
{
    readonly Func<string, OutputAreas, CancellationToken, Task<IKernelSession>> _start;

    NotebookKernel(string name, Func<string, OutputAreas, CancellationToken, Task<IKernelSession>> start)
    {
        Name = name;
        _start = start;
    }

    public string Name { get; }

    internal Task<IKernelSession> StartAsync(string workingDirectory, OutputAreas outputs, CancellationToken cancellationToken) =>
        _start(workingDirectory, outputs, cancellationToken);

    /// <summary>The course's engine in this process: quick to start, for tests of cell semantics.</summary>
    public static NotebookKernel InProcess { get; } =
        new("course engine (in process)", (folder, outputs, _) => Task.FromResult<IKernelSession>(new InProcessSession(folder, outputs)));

    /// <summary>The course's Jupyter kernel in a process of its own, driven over the Jupyter protocol (what <c>llmcourse run</c> does).</summary>
    public static NotebookKernel Course(KernelLauncher launcher) =>
        new("course kernel (Jupyter protocol)", async (folder, outputs, cancel) => await ProcessSession.StartAsync(launcher, folder, outputs, cancel));

    /// <summary>The real .NET Interactive kernel as the Polyglot Notebooks extension drives it (<c>dotnet-interactive stdio</c>).</summary>
    public static NotebookKernel Polyglot(DotNetInteractiveTool tool) =>
        new($".NET Interactive {tool.Version}, as VS Code drives it (stdio)", async (folder, outputs, cancel) => await PolyglotSession.StartAsync(tool, folder, outputs, cancel));

    /// <summary>
    /// The real .NET Interactive kernel as a Jupyter front end drives it (<c>dotnet-interactive jupyter</c>, a connection
    /// file, the notebook's folder as working directory): display updates are applied by display id, as JupyterLab does.
    /// </summary>
    public static NotebookKernel DotNetJupyter(DotNetInteractiveTool tool) =>
        new($".NET Interactive {tool.Version}, as Jupyter front ends drive it", async (folder, outputs, cancel) => await ProcessSession.StartAsync(tool.Jupyter(), folder, outputs, cancel));
}
