using System.CommandLine;
using System.Globalization;
using LlmCourse.Cli.Commands;

// llmcourse: run and export the course notebooks, reproduce the shipped data and models, benchmark.
// Numbers print the same on every machine, so committed notebook outputs do not churn by locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var groups = new CommandGroups();
var root = new RootCommand("llmcourse: the LLM course's command-line tool");
root.Subcommands.Add(NotebookCommands.Run());
root.Subcommands.Add(NotebookCommands.Export());

TokenizerCommands.Register(groups);
DataCommands.Register(groups);
ModelCommands.Register(groups);
ChatCommands.Register(groups, root);
ServeCommands.Register(root);

foreach (var group in groups.All.Where(g => g.Subcommands.Count > 0))
    root.Subcommands.Add(group);

return await root.Parse(args).InvokeAsync();
