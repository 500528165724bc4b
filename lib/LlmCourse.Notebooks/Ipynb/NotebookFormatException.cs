namespace LlmCourse.Notebooks.Ipynb;

/// <summary>A notebook file that cannot be read as a C# Polyglot notebook: says which file and what is wrong.</summary>
public sealed class NotebookFormatException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}
