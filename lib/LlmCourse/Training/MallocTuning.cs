using System.Runtime.InteropServices;

namespace LlmCourse.Training;

/// <summary>
/// Keeps a long training run's memory flat on Linux. libtorch allocates every activation with the C
/// allocator (glibc malloc). After the first large block is freed, glibc raises its mmap threshold and
/// serves the following megabyte-sized activations from its heaps, which fragment: resident memory
/// (RSS) then creeps up step after step although nothing leaks (measured on the live model: +95 % in
/// 60 steps). Two remedies, chosen with LLMCOURSE_MALLOC:
/// <list type="bullet">
/// <item>"trim" (default): every <see cref="TrimInterval"/> steps the trainer calls malloc_trim(0),
/// which hands the heaps' free pages back to the system. The pages are re-mapped on next use, so the
/// cost is spread over the interval.</item>
/// <item>"mmap": fix the mmap threshold at 256 KB, so every activation-sized block is mapped and
/// unmapped on its own (RSS flat, +4 % in 60 steps, but ~8x the page faults per step: slower).
/// PyTorch scripts get this with GLIBC_TUNABLES=glibc.malloc.mmap_threshold=262144.</item>
/// <item>"off": glibc's defaults, to compare.</item>
/// </list>
/// Does nothing off Linux or on a C library without these functions.
/// </summary>
public static class MallocTuning
{
    const int M_MMAP_THRESHOLD = -3;
    static readonly object gate = new();
    static bool applied;
    static bool available = OperatingSystem.IsLinux();

    /// <summary>"trim", "mmap" or "off" (from LLMCOURSE_MALLOC; "trim" when unset).</summary>
    public static string Mode { get; private set; } = "off";

    /// <summary>Steps between two trims in "trim" mode.</summary>
    public static int TrimInterval { get; set; } = 10;

    /// <summary>Applies the chosen mode once per process (later calls do nothing).</summary>
    public static void Apply()
    {
        lock (gate)
        {
            if (applied) return;
            applied = true;
            if (!available) return;
            var mode = (Environment.GetEnvironmentVariable("LLMCOURSE_MALLOC") ?? "trim").Trim().ToLowerInvariant();
            try
            {
                Mode = mode switch
                {
                    "mmap" => mallopt(M_MMAP_THRESHOLD, 256 * 1024) == 1 ? "mmap" : "off",
                    "off" => "off",
                    _ => "trim",
                };
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { available = false; Mode = "off"; }
        }
    }

    /// <summary>Called by the trainer after each step: trims every <see cref="TrimInterval"/> steps in "trim" mode.</summary>
    public static void AfterStep(int step)
    {
        if (step % TrimInterval == 0) Trim();
    }

    /// <summary>Hands free heap pages back to the system now ("trim" mode only).</summary>
    public static void Trim()
    {
        if (Mode != "trim" || !available) return;
        try { malloc_trim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { available = false; }
    }

    public static string Describe() => Mode switch
    {
        "trim" => $"malloc_trim every {TrimInterval} steps (LLMCOURSE_MALLOC=off to compare with glibc's defaults, =mmap for a fixed mmap threshold)",
        "mmap" => "mmap threshold fixed at 256 KB (LLMCOURSE_MALLOC)",
        _ => "glibc's defaults (LLMCOURSE_MALLOC=off or not Linux)",
    };

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(nuint pad);
}
