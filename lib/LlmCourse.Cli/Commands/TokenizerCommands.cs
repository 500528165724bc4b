namespace LlmCourse.Cli.Commands;

public static class TokenizerCommands
{
    public static void Register(CommandGroups groups)
    {
    }
}
