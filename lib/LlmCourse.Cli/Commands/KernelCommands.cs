using System.CommandLine;
using LlmCourse.Notebooks.DotNetInteractive;
using LlmCourse.Notebooks.Jupyter;

namespace LlmCourse.Cli.Commands;

/// <summary>
/// `llmcourse kernel -f FILE`: the course's C# Jupyter kernel, as a front end starts it; `llmcourse kernel
/// install [--user]` registers it with Jupyter front ends. Touches nothing of the course library, so a
/// notebook's #r is what loads it into the kernel process.
/// </summary>
public static class KernelCommands
{
    /// <summary>How to start this build's kernel: the argv of its kernelspec, and what `llmcourse run` starts for each notebook.</summary>
    public static KernelLauncher Launcher() =>
        KernelLauncher.ForAssembly(typeof(KernelCommands).Assembly.Location, "kernel", "-f", KernelLauncher.ConnectionFilePlaceholder);

    public static Command Kernel()
    {
        var connectionFile = new Option<string?>("--connection-file", "-f")
        {
            Description = "The connection file a Jupyter front end passes (it starts the kernel; you do not)",
        };
        var command = new Command("kernel", "Run the course's C# Jupyter kernel (front ends start it with -f CONNECTION_FILE)");
        command.Options.Add(connectionFile);
        command.Subcommands.Add(Install());
        command.SetAction(parse =>
        {
            if (parse.GetValue(connectionFile) is not { } path)
            {
                Console.Error.WriteLine("llmcourse kernel: a Jupyter front end starts the kernel with -f CONNECTION_FILE; " +
                                        "to make it available to front ends, run `llmcourse kernel install --user`");
                return 2;
            }
            var log = Console.Error;   // the kernel's own messages; cells' output goes to the front end
            int code;
            try
            {
                using var kernel = new JupyterKernel(ConnectionInfo.Load(path), Environment.CurrentDirectory, log);
                code = kernel.Run();
            }
            catch (ConnectionFileException e) { log.WriteLine($"llmcourse kernel: {e.Message}"); code = 2; }
            catch (NetMQ.NetMQException e) { log.WriteLine($"llmcourse kernel: cannot listen on the connection file's ports ({path}): {e.Message}"); code = 1; }
            // A cell may have left foreground threads running; the kernel ends all the same.
            log.Flush();
            Environment.Exit(code);
            return code;
        });
        return command;
    }

    static Command Install()
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user only (no administrator rights needed)" };
        var prefix = new Option<string?>("--prefix") { Description = "Install into PREFIX/share/jupyter/kernels (a Python virtual environment or conda prefix)" };
        var command = new Command("install",
            $"Register the kernel (\"{KernelSpec.DisplayName}\", name {KernelSpec.DefaultName}) with Jupyter front ends: JupyterLab, Notebook, VS Code's Jupyter extension, nbclient");
        var dotnetInteractive = new Option<bool>("--dotnet-interactive")
        {
            Description = "Register the real .NET Interactive kernel instead (\".NET (C#)\", name .net-csharp, the name the notebooks carry): " +
                          "the version .config/dotnet-tools.json pins, run through `dotnet tool run`, its HTTP service on localhost only",
        };
        command.Options.Add(user);
        command.Options.Add(prefix);
        command.Options.Add(dotnetInteractive);
        command.SetAction(parse =>
        {
            var folder = KernelSpec.KernelsFolder(parse.GetValue(user), parse.GetValue(prefix));
            try
            {
                if (parse.GetValue(dotnetInteractive))
                {
                    var spec = KernelSpec.Install(DotNetInteractiveTool.KernelSpecJson(), folder, DotNetInteractiveTool.KernelSpecName);
                    Console.WriteLine($"Installed the kernelspec {DotNetInteractiveTool.KernelSpecName} (\".NET (C#)\") in {spec}");
                    Console.WriteLine("It starts the pinned tool with `dotnet tool run` from the notebook's folder: run `dotnet tool restore` in the repository first.");
                    return 0;
                }
                var installed = KernelSpec.Install(Launcher(), folder);
                Console.WriteLine($"Installed the kernelspec {KernelSpec.DefaultName} (\"{KernelSpec.DisplayName}\") in {installed}");
                Console.WriteLine($"It starts {Launcher().Argv[1]}: rebuild with `dotnet build -c Release` and front ends get the new kernel.");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"llmcourse kernel install: cannot write to {folder}: {e.Message}" +
                                        (parse.GetValue(user) || parse.GetValue(prefix) is not null ? "" : " (use --user to install for yourself only)"));
                return 1;
            }
        });
        return command;
    }
}
