using System.Runtime.InteropServices;

namespace LlmCourse.Tests.Foundation;

/// <summary>
/// The build makes TorchSharp load on Debian 12 by weakening one libstdc++ version requirement of the
/// copied libLibTorchSharp.so — only in build outputs, only where the system needs it, idempotently.
/// </summary>
public class LibTorchSharpPatchTests
{
    const string Version = "GLIBCXX_3.4.32";

    static string PackageCopy => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    static string BuildCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void BuildOutputIsPatchedExactlyWhenTheSystemLacksTheVersion()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        Assert.True(File.Exists(BuildCopy), BuildCopy);
        Assert.Equal(!ElfVersionNeeds.SystemLibStdCxxProvides(Version), ElfVersionNeeds.IsWeak(BuildCopy, Version));
        Assert.Equal(!ElfVersionNeeds.SystemLibStdCxxProvides(Version), ElfVersionNeeds.IsWeak(TestPaths.InRepository("artifacts", "course", "libLibTorchSharp.so"), Version));
    }

    [Fact]
    public void PackageCacheIsNeverModified()
    {
        if (!File.Exists(PackageCopy)) return;   // another machine's package layout
        Assert.False(ElfVersionNeeds.IsWeak(PackageCopy, Version));
    }

    [Fact]
    public void MarkingIsIdempotentAndTouchesOnlyThatFlag()
    {
        if (!File.Exists(PackageCopy)) return;
        using var dir = TestPaths.NewTempFolder();
        var copy = dir.File("libLibTorchSharp.so");
        File.Copy(PackageCopy, copy);
        var original = File.ReadAllBytes(copy);

        Assert.Equal([Version], ElfVersionNeeds.MarkWeak(copy, [Version]));
        var once = File.ReadAllBytes(copy);
        Assert.Empty(ElfVersionNeeds.MarkWeak(copy, [Version]));
        Assert.Equal(once, File.ReadAllBytes(copy));

        Assert.True(ElfVersionNeeds.IsWeak(copy, Version));
        Assert.False(ElfVersionNeeds.IsWeak(copy, "GLIBCXX_3.4.30"));
        Assert.Single(Enumerable.Range(0, original.Length), i => original[i] != once[i]);
        Assert.Contains(ElfVersionNeeds.Requirements(once), r => r.Name == "CXXABI_1.3.13");
    }

    [Fact]
    public void NonElfFileIsRejected()
    {
        using var dir = TestPaths.NewTempFolder();
        File.WriteAllText(dir.File("x.so"), "not a shared library at all, just text");
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(dir.File("x.so"), [Version]));
        Assert.Contains("not an ELF file", error.Message);
    }
}
