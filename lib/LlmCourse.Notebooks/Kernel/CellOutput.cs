namespace LlmCourse.Notebooks.Kernel;

/// <summary>One output of a cell, in the shapes Jupyter's .ipynb format knows.</summary>
public abstract record CellOutput;

/// <summary>
/// A rendered value: a mime bundle (mime type -> text). <see cref="IsResult"/> marks the cell's
/// trailing expression (an ipynb "execute_result"); otherwise it came from display() ("display_data"),
/// and <see cref="DisplayId"/> names it so that an update can find it.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, bool IsResult = false, string? DisplayId = null) : CellOutput
{
    public string? Html => Data.GetValueOrDefault("text/html");
    public string? Text => Data.GetValueOrDefault("text/plain");
}

/// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A failed cell: what went wrong, where, and the lines that lead there.</summary>
public sealed record ErrorOutput(string Name, string Message, IReadOnlyList<string> Traceback) : CellOutput;
