namespace LlmCourse.Cli.Commands;

public static class DataCommands
{
    public static void Register(CommandGroups groups)
    {
    }
}
