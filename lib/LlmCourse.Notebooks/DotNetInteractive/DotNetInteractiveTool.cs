using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using LlmCourse.Notebooks.Jupyter;

namespace LlmCourse.Notebooks.DotNetInteractive;

/// <summary>The pinned .NET Interactive tool is missing or cannot be restored: says what to run.</summary>
public sealed class DotNetInteractiveToolException(string message) : Exception(message);

/// <summary>
/// The real .NET Interactive kernel — the released tool the Polyglot Notebooks extension starts — pinned in the
/// repository's local tool manifest (<c>.config/dotnet-tools.json</c>), so <c>dotnet tool restore</c> installs
/// exactly that version and nothing global. It starts the tool as <c>dotnet tool run</c> would (the dotnet host
/// and the tool's entry assembly from the NuGet folder), so a kernel can be started from any working directory:
/// the manifest is only looked for in the repository.
/// </summary>
public sealed record DotNetInteractiveTool(string Version, string EntryPoint)
{
    public const string PackageId = "microsoft.dotnet-interactive";

    /// <summary>
    /// The kernel's HTTP service otherwise listens on every network interface (it serves the kernel's API to
    /// browsers, with no authentication); every start the course makes or tells users to make passes this flag.
    /// </summary>
    public const string LocalOnly = "--http-local-only";

    /// <summary>The kernelspec name the course's notebooks carry in their metadata, as the tool's own install uses it.</summary>
    public const string KernelSpecName = ".net-csharp";

    /// <summary>
    /// Environment for every start: no telemetry (it would send usage data from CI and print a banner
    /// into the stdio protocol's stream), and OpenMP's threads do not spin while a cell waits.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>The version the manifest in <paramref name="repositoryRoot"/> pins.</summary>
    public static string PinnedVersion(string repositoryRoot)
    {
        var manifest = Path.Combine(repositoryRoot, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest)) throw new DotNetInteractiveToolException($"{manifest} is missing: it pins the .NET Interactive tool");
        var version = (string?)JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[PackageId]?["version"];
        return version ?? throw new DotNetInteractiveToolException($"{manifest} does not pin {PackageId}");
    }

    /// <summary>
    /// The pinned tool, restored first if it is not in the NuGet folder yet (<c>dotnet tool restore</c> in the
    /// repository: quick when it is already there).
    /// </summary>
    public static DotNetInteractiveTool Restore(string repositoryRoot)
    {
        var version = PinnedVersion(repositoryRoot);
        if (Find(version) is { } tool) return tool;
        var start = new ProcessStartInfo(KernelLauncher.DotnetHost(), "tool restore")
        {
            WorkingDirectory = repositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var restore = Process.Start(start)!;
        var output = restore.StandardOutput.ReadToEndAsync();
        var errors = restore.StandardError.ReadToEnd();
        restore.WaitForExit();
        return Find(version) ?? throw new DotNetInteractiveToolException(
            $"`dotnet tool restore` in {repositoryRoot} did not install {PackageId} {version} (exit code {restore.ExitCode}): {errors.Trim()} {output.Result.Trim()}");
    }

    /// <summary>The tool's entry assembly in the NuGet packages folder, as its DotnetToolSettings.xml names it.</summary>
    static DotNetInteractiveTool? Find(string version)
    {
        var tools = Path.Combine(PackagesFolder(), PackageId, version, "tools");
        if (!Directory.Exists(tools)) return null;
        foreach (var settings in Directory.EnumerateFiles(tools, "DotnetToolSettings.xml", SearchOption.AllDirectories))
        {
            var entry = XDocument.Load(settings).Descendants("Command").FirstOrDefault()?.Attribute("EntryPoint")?.Value;
            if (entry is not null && Path.Combine(Path.GetDirectoryName(settings)!, entry) is var path && File.Exists(path))
                return new DotNetInteractiveTool(version, path);
        }
        return null;
    }

    /// <summary>NuGet's global packages folder: $NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    static string PackagesFolder() =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// As the Polyglot Notebooks extension starts it (its <c>kernelTransportArgs</c>): <c>[vscode] stdio
    /// --working-dir FOLDER</c>. "[vscode]" makes the kernel format for a browser front end (HTML by default).
    /// stdio mode starts no HTTP service unless given a port, so it needs no <see cref="LocalOnly"/>.
    /// </summary>
    public ProcessStartInfo Stdio(string workingDirectory)
    {
        var start = new ProcessStartInfo(KernelLauncher.DotnetHost())
        {
            WorkingDirectory = workingDirectory, UseShellExecute = false,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var a in new[] { EntryPoint, "[vscode]", "stdio", "--working-dir", workingDirectory }) start.ArgumentList.Add(a);
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        return start;
    }

    /// <summary>As a Jupyter front end starts it from a kernelspec: <c>jupyter --default-kernel csharp --http-local-only CONNECTION_FILE</c>.</summary>
    public KernelLauncher Jupyter() =>
        new([KernelLauncher.DotnetHost(), EntryPoint, .. JupyterArguments], Environment);

    static readonly string[] JupyterArguments = ["jupyter", "--default-kernel", "csharp", LocalOnly, KernelLauncher.ConnectionFilePlaceholder];

    /// <summary>
    /// The kernelspec for Jupyter front ends (the tool's own <c>jupyter install</c> writes one that starts a global
    /// install and leaves the HTTP service open to the network): the pinned tool through <c>dotnet tool run</c>,
    /// which finds the manifest from the notebook's folder, where Jupyter starts kernels.
    /// </summary>
    public static JsonObject KernelSpecJson() => new()
    {
        ["argv"] = new JsonArray(new[] { "dotnet", "tool", "run", "dotnet-interactive", "--" }.Concat(JupyterArguments).Select(a => (JsonNode?)a).ToArray()),
        ["display_name"] = ".NET (C#)",
        ["language"] = "C#",
        ["env"] = new JsonObject(Environment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["metadata"] = new JsonObject { ["vscode"] = new JsonObject { ["extension_id"] = "ms-dotnettools.dotnet-interactive-vscode", ["kernel_id"] = "dotnet-interactive" } },
    };
}
