using System.CommandLine;
using LlmCourse.Cli.Commands;

// llmcourse: run and export the course notebooks, reproduce the shipped data and models, benchmark.
var groups = new CommandGroups();
var root = new RootCommand("llmcourse: the LLM course's command-line tool");
root.Subcommands.Add(NotebookCommands.Run());
root.Subcommands.Add(NotebookCommands.Export());

TokenizerCommands.Register(groups);
DataCommands.Register(groups);
ModelCommands.Register(groups);

foreach (var group in groups.All.Where(g => g.Subcommands.Count > 0))
    root.Subcommands.Add(group);

return root.Parse(args).Invoke();
