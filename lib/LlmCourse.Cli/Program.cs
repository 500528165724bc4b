using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using LlmCourse.Cli;
using LlmCourse.Cli.Commands;

// llmcourse: run and export the course notebooks, be their Jupyter kernel, reproduce the shipped data and models, benchmark.
// Numbers print the same on every machine, so committed notebook outputs do not churn by locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// The kernel process builds only its own command: nothing of the course library is loaded before a notebook's #r.
return await Invoke(args is ["kernel", ..] ? Root([KernelCommands.Kernel()]) : Root(AllCommands()), args);

static IEnumerable<Command> AllCommands()
{
    var groups = new CommandGroups();
    TokenizerCommands.Register(groups);
    DataCommands.Register(groups);
    ModelCommands.Register(groups);
    ContextCommands.Register(groups);
    GenerationCommands.Register(groups);
    ChatCommands.Register(groups);
    PsychologyCommands.Register(groups);
    ReinforcementCommands.Register(groups);
    RlhfCommands.Register(groups);
    return [NotebookCommands.Run(), NotebookCommands.Export(), KernelCommands.Kernel(), ChatCommands.Chat(), ServeCommands.Serve(), .. groups.All.Where(g => g.Subcommands.Count > 0)];
}

// Named for what users type (the assembly is LlmCourse.Cli; the launcher script is llmcourse).
static Command Root(IEnumerable<Command> commands)
{
    var root = new Command("llmcourse", "llmcourse: the LLM course's command-line tool") { new HelpOption(), new VersionOption() };
    foreach (var command in commands) root.Subcommands.Add(command);
    return root;
}

// A mistake in what the user gave (a missing or malformed file, a folder that cannot be written) is one line on
// stderr and exit code 1; anything else is a bug, and keeps its stack trace.
static async Task<int> Invoke(Command root, string[] args)
{
    try
    {
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
    catch (Exception e) when (UserErrors.IsUserError(e))
    {
        Console.Error.WriteLine($"llmcourse: {UserErrors.Describe(e)}");
        return 1;
    }
}
