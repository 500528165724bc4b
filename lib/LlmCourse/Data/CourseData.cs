using System.Reflection;

namespace LlmCourse.Data;

/// <summary>Where the course's data lives: files under data/ (found from the working directory), and copies compiled into the library.</summary>
public static class CourseData
{
    /// <summary>
    /// The repository's data/ folder: the nearest ancestor of the working directory (or of the library's
    /// own file, or of the program's) that holds LlmCourse.sln. Notebooks run from notebooks/, the CLI from
    /// the root; both find it, and so does a notebook elsewhere that #r's the library from artifacts/course/.
    /// </summary>
    public static string Directory
    {
        get
        {
            foreach (var start in new[] { Environment.CurrentDirectory, Path.GetDirectoryName(typeof(CourseData).Assembly.Location) ?? "", AppContext.BaseDirectory })
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "LlmCourse.sln")))
                        return Path.Combine(dir.FullName, "data");
            throw new DirectoryNotFoundException("Cannot find the course's data/ folder: run from inside the LlmCourse repository.");
        }
    }

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>A text file from data/ that is compiled into the library (e.g. "url-blocklist.txt", "langid/en.txt").</summary>
    internal static string ReadEmbedded(string relative)
    {
        var name = "LlmCourse.data." + relative.Replace('/', '.');
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"Embedded data file {relative} is missing from the library.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static IEnumerable<string> EmbeddedNames(string prefix) =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith("LlmCourse.data." + prefix, StringComparison.Ordinal))
            .Select(n => n["LlmCourse.data.".Length..]).Order(StringComparer.Ordinal);
}
