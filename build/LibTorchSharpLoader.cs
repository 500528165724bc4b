// Makes TorchSharp's native bridge load on Linux distributions whose libstdc++ is older than the
// one it was built against (Debian 12 ships GLIBCXX_3.4.30; libLibTorchSharp.so 0.107 asks for 3.4.32).
//
// The only symbol bound to GLIBCXX_3.4.32 is _ZSt21ios_base_library_initv and nothing relocates
// against it, so the requirement can be marked weak: the dynamic loader then warns instead of
// refusing to load. That is the VER_FLG_WEAK bit in the version-needs entry (Elf64_Vernaux).
//
// The inline task compiler targets netstandard2.0, so this file keeps to that API.
// This file is compiled twice: as an MSBuild inline task (Directory.Build.targets runs it on every
// build and publish output, never on the NuGet cache) and into the tests.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

public class MarkLibStdCxxVersionsWeak : Microsoft.Build.Utilities.Task
{
    /// <summary>Folders to search (recursively) for libLibTorchSharp.so.</summary>
    [Microsoft.Build.Framework.Required]
    public string[] Folders { get; set; } = Array.Empty<string>();

    /// <summary>Version names that are safe to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required]
    public string[] Versions { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        var missing = Versions.Where(v => !ElfVersionNeeds.SystemLibStdCxxProvides(v)).ToArray();
        if (missing.Length == 0) return true; // new enough libstdc++: nothing to do

        foreach (var folder in Folders.Where(Directory.Exists).Distinct())
        foreach (var file in Directory.EnumerateFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var changed = ElfVersionNeeds.MarkWeak(file, missing);
            if (changed.Count > 0)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"LlmCourse: marked {string.Join(", ", changed)} weak in {file} (system libstdc++ lacks it)");
        }
        return !Log.HasLoggedErrors;
    }
}

public static class ElfVersionNeeds
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>
    /// Sets VER_FLG_WEAK on each named version requirement of an ELF64 little-endian file.
    /// Idempotent; replaces the file by an atomic rename (so a hard link into a package cache is never written through)
    /// and keeps its timestamp, so MSBuild's incremental copy does not overwrite it again.
    /// Returns the versions whose flag changed.
    /// </summary>
    public static List<string> MarkWeak(string path, IReadOnlyCollection<string> versions)
    {
        var bytes = File.ReadAllBytes(path);
        var changed = new List<string>();
        foreach (var (name, flagsOffset) in Requirements(bytes))
        {
            if (!versions.Contains(name)) continue;
            var flags = BitConverter.ToUInt16(bytes, flagsOffset);
            if ((flags & VerFlgWeak) != 0) continue;
            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, flagsOffset);
            changed.Add(name);
        }
        if (changed.Count == 0) return changed;

        var stamp = File.GetLastWriteTimeUtc(path);
        var temp = path + ".patching";
        File.WriteAllBytes(temp, bytes);
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Replace(temp, path, null); // a rename: never writes through a hard link into the package cache
        return changed;
    }

    /// <summary>True when the named version requirement is marked weak.</summary>
    public static bool IsWeak(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        return Requirements(elf).Any(r => r.Name == version && (BitConverter.ToUInt16(elf, r.FlagsOffset) & VerFlgWeak) != 0);
    }

    /// <summary>Every version requirement (Elf64_Vernaux) with the file offset of its vna_flags.</summary>
    public static IEnumerable<(string Name, int FlagsOffset)> Requirements(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");

        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        long SectionHeader(int i) => shoff + (long)i * shentsize;

        for (int i = 0; i < shnum; i++)
        {
            long sh = SectionHeader(i);
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            long strtab = BitConverter.ToInt64(elf, (int)SectionHeader(link) + 0x18);

            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < cnt; a++)
                {
                    long nameAt = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, (int)nameAt);
                    yield return (Encoding.ASCII.GetString(elf, (int)nameAt, end - (int)nameAt), (int)aux + 4);
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
    }

    /// <summary>Whether the libstdc++.so.6 the dynamic loader would pick defines the version.</summary>
    public static bool SystemLibStdCxxProvides(string version)
    {
        var lib = SystemLibStdCxx();
        if (lib is null) return true; // no libstdc++ found: not a glibc system we know how to help
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(lib);
        for (int i = Array.IndexOf(bytes, needle[0]); i >= 0 && i <= bytes.Length - needle.Length; i = Array.IndexOf(bytes, needle[0], i + 1))
            if (bytes.Skip(i).Take(needle.Length).SequenceEqual(needle)) return true;
        return false;
    }

    static string? SystemLibStdCxx()
    {
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                            "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" });
        return dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }
}
