using System.CommandLine;

namespace LlmCourse.Cli.Commands;

/// <summary>The verbs each part of the course adds its subcommands to (`llmcourse bench tokenizer`, ...).</summary>
public sealed class CommandGroups
{
    public Command Bench { get; } = new("bench", "Measure speed and memory; prints the figures");
    public Command Train { get; } = new("train", "Reproduce a shipped model from scratch");
    public Command Eval { get; } = new("eval", "Evaluate a shipped model");
    public Command Data { get; } = new("data", "Regenerate the data the course ships in data/");

    public IEnumerable<Command> All => [Bench, Train, Eval, Data];
}
