using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmCourse.Notebooks.Jupyter;

/// <summary>
/// How to start a kernel: the argv of a Jupyter kernelspec, where <c>{connection_file}</c> stands for the
/// connection file's path, and the environment variables it sets (a kernelspec's "env").
/// </summary>
public sealed record KernelLauncher(IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string>? Environment = null)
{
    public const string ConnectionFilePlaceholder = "{connection_file}";

    /// <summary><c>dotnet ASSEMBLY args...</c>, with the dotnet that runs this process.</summary>
    public static KernelLauncher ForAssembly(string assemblyPath, params string[] arguments) =>
        new([DotnetHost(), Path.GetFullPath(assemblyPath), .. arguments]);

    /// <summary>The dotnet executable of the running runtime (<c>DOTNET_ROOT/dotnet</c>), or "dotnet" from the PATH.</summary>
    public static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (System.Environment.ProcessPath is { } process && Path.GetFileName(process) == name) return process;
        // The runtime lives in DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, name);
        return File.Exists(host) ? host : name;
    }
}

/// <summary>
/// The course kernel's kernelspec: the folder <c>kernels/llmcourse-csharp/</c> with a kernel.json, in one of
/// the places Jupyter front ends look for kernels (the same places as <c>jupyter kernelspec install</c>).
/// </summary>
public static class KernelSpec
{
    public const string DefaultName = "llmcourse-csharp";
    public const string DisplayName = "C# (LlmCourse)";

    public static JsonObject Json(KernelLauncher launcher) => new()
    {
        ["argv"] = new JsonArray(launcher.Argv.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
        ["display_name"] = DisplayName,
        ["language"] = "C#",                 // as the Polyglot notebooks' own kernelspec says
        ["interrupt_mode"] = "message",      // interrupt_request on the control channel, on every OS
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>
    /// The kernels folder: under <paramref name="prefix"/> (<c>PREFIX/share/jupyter/kernels</c>, for a virtual
    /// environment), the user's Jupyter data folder, or the system-wide one.
    /// </summary>
    public static string KernelsFolder(bool user, string? prefix = null)
    {
        if (prefix is not null) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        if (user) return Path.Combine(UserDataFolder(), "kernels");
        return OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "jupyter", "kernels")
            : "/usr/local/share/jupyter/kernels";
    }

    /// <summary>jupyter_core's user data folder: $JUPYTER_DATA_DIR, else the platform's place for it.</summary>
    static string UserDataFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } dir) return dir;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }

    /// <summary>Writes the kernelspec (replacing an older one of the same name) and returns its folder.</summary>
    public static string Install(KernelLauncher launcher, string kernelsFolder, string name = DefaultName) =>
        Install(Json(launcher), kernelsFolder, name);

    /// <summary>Writes a kernelspec's kernel.json (replacing an older one of the same name) and returns its folder.</summary>
    public static string Install(JsonObject kernelJson, string kernelsFolder, string name)
    {
        var target = Path.Combine(kernelsFolder, name);
        Directory.CreateDirectory(kernelsFolder);
        // Written beside and moved into place: an interrupted install leaves the old kernelspec or the new, never half of one.
        var staging = Path.Combine(kernelsFolder, $".{name}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, "kernel.json"), kernelJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return target;
    }
}
