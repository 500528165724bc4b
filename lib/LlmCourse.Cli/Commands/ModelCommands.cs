namespace LlmCourse.Cli.Commands;

public static class ModelCommands
{
    public static void Register(CommandGroups groups)
    {
    }
}
