using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace LlmCourse.Tests.Serving;

/// <summary>
/// The notebook copy of the library (artifacts/course/) must load in the real .NET Interactive kernel, which loads a
/// #r'd library's dependencies with Roslyn's script loader, each in a context of its own. There, a reference asking for
/// an older version than the file beside it gets a second copy of that file, and calls across the two copies fail with
/// MissingMethodException (seen with OpenAI 2.15 under Microsoft.Extensions.AI.OpenAI 10.11, built against 2.14). The
/// course's own runner hides this (its host already holds the same assemblies), so this test checks it directly.
/// </summary>
public class NotebookAssemblyTests
{
    /// <summary>The packages Serving/ brings; every reference among them must ask for exactly the version shipped.</summary>
    static bool IsServingDependency(string name) =>
        name is "OpenAI" or "System.ClientModel" or "System.Memory.Data" || name.StartsWith("Microsoft.Extensions.AI", StringComparison.Ordinal);

    [Fact]
    public void TheServingDependenciesReferenceExactlyTheVersionsShippedBesideThem()
    {
        var folder = TestPaths.InRepository("artifacts", "course");
        Assert.True(File.Exists(Path.Combine(folder, "LlmCourse.dll")), $"{folder} has no LlmCourse.dll: build the library first.");
        var shipped = new Dictionary<string, Version>();
        var references = new List<(string From, string To, Version Version)>();
        foreach (var file in Directory.GetFiles(folder, "*.dll"))
        {
            using var pe = new PEReader(File.OpenRead(file));
            if (!pe.HasMetadata) continue;   // a native library
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly) continue;
            var self = metadata.GetAssemblyDefinition();
            var name = metadata.GetString(self.Name);
            shipped[name] = self.Version;
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                references.Add((name, metadata.GetString(reference.Name), reference.Version));
            }
        }

        var mismatches = references
            .Where(r => IsServingDependency(r.To) && shipped.TryGetValue(r.To, out var have) && have != r.Version)
            .Select(r => $"{r.From} asks for {r.To} {r.Version}, but {shipped[r.To]} is shipped")
            .ToList();

        Assert.Contains("OpenAI", shipped.Keys);
        Assert.True(mismatches.Count == 0,
            "Pin these packages to the versions their dependents were built against (Directory.Packages.props), and delete " +
            "artifacts/course/ if a stale newer file stays behind:\n" + string.Join("\n", mismatches));
    }
}
