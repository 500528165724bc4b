namespace LlmCourse.Tests;

/// <summary>Where things are: the repository root (found from the test's folder) and scratch folders.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(LlmCourse.Data.CourseData.Directory)!;

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    /// <summary>A path named <paramref name="name"/> inside a new empty folder; the file does not exist yet.</summary>
    public static string TempFile(string name) => Path.Combine(NewFolder(), name);

    static string NewFolder() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "llmcourse-tests", Guid.NewGuid().ToString("N")[..12])).FullName;

    /// <summary>A new empty folder, removed when disposed.</summary>
    public static TempFolder NewTempFolder() => new();

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = NewFolder();
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
    }
}
