namespace LlmCourse.Tests;

/// <summary>Where things are: the repository root (found from the test's folder) and scratch folders.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LlmCourse.sln"))) return dir.FullName;
        throw new InvalidOperationException("LlmCourse.sln not found above " + AppContext.BaseDirectory);
    }

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    /// <summary>A new empty folder, removed when disposed.</summary>
    public static TempFolder NewTempFolder() => new();

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmcourse-tests", Guid.NewGuid().ToString("N")[..12]);
        public TempFolder() => Directory.CreateDirectory(Path);
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
    }
}
