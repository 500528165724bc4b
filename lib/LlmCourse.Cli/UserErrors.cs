namespace LlmCourse.Cli;

/// <summary>Exceptions that mean the user gave something wrong (not a bug): each is reported as one line.</summary>
internal static class UserErrors
{
    public static bool IsUserError(Exception e) => e is IOException or UnauthorizedAccessException or InvalidDataException
        or LlmCourse.Notebooks.Ipynb.NotebookFormatException or LlmCourse.Notebooks.Jupyter.ConnectionFileException
        || e.GetType().Name is "CheckpointException";

    /// <summary>The message, naming the file when the exception knows it and the message does not.</summary>
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException { FileName: { } file } f when !f.Message.Contains(file) => $"{file}: {f.Message}",
        _ => e.Message,
    };
}
