using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

public static class GenerationCommands
{
    public static void Register(CommandGroups groups) => groups.Bench.Subcommands.Add(BenchGenerate());

    const string ReferenceSetup = "apt-get install -y python3-torch libopenblas0-openmp";

    /// <summary>
    /// `llmcourse bench generate`: batched sampling speed of the shipped model's shape, ours and the PyTorch
    /// reference's side by side from one run, at the chosen batch and at batch 1.
    /// </summary>
    static Command BenchGenerate()
    {
        var batch = new Option<int>("--batch") { Description = "Rows sampled at once", DefaultValueFactory = _ => 64 };
        var prompt = new Option<int>("--prompt") { Description = "Prompt tokens per row", DefaultValueFactory = _ => 32 };
        var newTokens = new Option<int>("--new") { Description = "Tokens sampled per row", DefaultValueFactory = _ => 64 };
        var runs = new Option<int>("--repeats") { Description = "Timed runs after one warm-up (the median is reported)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads, ours and the reference's", DefaultValueFactory = _ => 2 };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary of the shipped shape (the course BPE's 4,096 + end of turn)", DefaultValueFactory = _ => 4097 };
        var reference = new Option<string>("--reference") { Description = "The PyTorch reference script (default: ../shared/bench/ref_generate.py from the repository root)" };
        var python = new Option<string>("--python") { Description = "Python with torch to run it (default: the first of python3, /usr/bin/python3 that imports torch)" };
        var noReference = new Option<bool>("--no-reference") { Description = "Measure ours only" };

        var cmd = new Command("generate", "Batched sampling speed with a KV cache (tokens/s, ms per step, prefill) on the shipped model's shape, " +
                                          "against the PyTorch reference bench/ref_generate.py run on the same machine");
        foreach (var option in new Option[] { batch, prompt, newTokens, runs, threads, vocab, reference, python, noReference }) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            var threadCount = parse.GetValue(threads);
            torch.set_num_threads(threadCount);
            var config = GptConfig.Shipped(parse.GetValue(vocab));
            var (p, n, r) = (parse.GetValue(prompt), parse.GetValue(newTokens), parse.GetValue(runs));
            var batches = new[] { parse.GetValue(batch), 1 }.Distinct().ToArray();

            Console.WriteLine($"llmcourse bench generate: {config} (random weights), {threadCount} threads on {Environment.ProcessorCount} cores, " +
                              $"TorchSharp {typeof(torch).Assembly.GetName().Version}");
            Console.WriteLine($"  prompt {p} tokens, {n} new tokens per row, {GenerationBenchmark.ReferenceSampling}, no stop tokens; median of {r} runs after a warm-up");
            Console.WriteLine("  (a load average above about 0.5 means other processes share these cores: small operations then slow down a lot)");

            var script = parse.GetValue(noReference) ? null : FindReference(parse.GetValue(reference));
            var interpreter = script is null ? null : FindPython(parse.GetValue(python));

            foreach (var b in batches)
            {
                Console.WriteLine();
                var load = LoadAverage();
                var ours = GenerationBenchmark.Measure(config, b, p, n, r);
                Console.WriteLine($"batch {b}, ours:    {Figures(ours.TokensPerSecond, ours.MillisecondsPerStep, ours.PrefillMilliseconds)}   " +
                                  $"(fastest run {ours.FastestTokensPerSecond:N0} tokens/s; {ours.Parameters:N0} parameters; load average {load})");
                Console.WriteLine(FormattableString.Invariant(
                    $"  ours: tokens_per_s={ours.TokensPerSecond:F1} ms_per_token_step={ours.MillisecondsPerStep:F2} prefill_ms={ours.PrefillMilliseconds:F1} params={ours.Parameters}"));
                if (script is null || interpreter is null) continue;

                load = LoadAverage();
                var torchFigures = RunReference(interpreter, script, config, b, p, n, r, threadCount);
                if (torchFigures is null) continue;
                var (tokensPerSecond, msPerStep, prefillMs, parameters) = torchFigures.Value;
                Console.WriteLine($"batch {b}, PyTorch: {Figures(tokensPerSecond, msPerStep, prefillMs)}   " +
                                  $"({parameters:N0} parameters; load average {load})");
                Console.WriteLine($"batch {b}, ours / PyTorch: {ours.TokensPerSecond / tokensPerSecond:F2}x tokens/s");
            }
            if (script is null && !parse.GetValue(noReference))
                Console.WriteLine($"\nNo PyTorch figures: the reference script was not found. Pass --reference PATH to bench/ref_generate.py.");
            else if (script is not null && interpreter is null)
                Console.WriteLine($"\nNo PyTorch figures: no python3 with torch found. To get them: {ReferenceSetup} (or pass --python PATH).");
            Console.WriteLine($"\nload average after: {LoadAverage()}");
            return 0;
        });
        return cmd;
    }

    static string Figures(double tokensPerSecond, double msPerStep, double prefillMs) =>
        $"{tokensPerSecond,8:N0} tokens/s  {msPerStep,6:F2} ms per token step  prefill {prefillMs,6:F1} ms";

    static string? FindReference(string? given)
    {
        var path = given ?? Path.GetFullPath(Path.Combine(CourseData.Directory, "..", "..", "shared", "bench", "ref_generate.py"));
        if (File.Exists(path)) return path;
        Console.WriteLine($"  reference script not found at {path}");
        return null;
    }

    /// <summary>The first Python that can import torch (a pyenv or venv python3 on PATH often cannot; Debian's can).</summary>
    static string? FindPython(string? given)
    {
        foreach (var candidate in given is null ? new[] { "python3", "/usr/bin/python3" } : [given])
        {
            var (exit, _, _) = Execute(candidate, ["-c", "import torch"]);
            if (exit == 0) return candidate;
        }
        return null;
    }

    static (double TokensPerSecond, double MsPerStep, double PrefillMs, long Parameters)? RunReference(
        string python, string script, GptConfig config, int batch, int prompt, int newTokens, int runs, int threads)
    {
        string[] arguments =
        [
            script, "--layers", $"{config.Layers}", "--heads", $"{config.Heads}", "--dim", $"{config.Width}", "--ctx", $"{config.ContextLength}",
            "--vocab", $"{config.VocabSize}", "--batch", $"{batch}", "--prompt", $"{prompt}", "--new", $"{newTokens}",
            "--repeats", $"{runs}", "--threads", $"{threads}",
        ];
        var (exit, output, error) = Execute(python, arguments);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var values = last.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        if (exit != 0 || !values.ContainsKey("tokens_per_s"))
        {
            Console.WriteLine($"batch {batch}, PyTorch: the reference failed (exit {exit}): {(error + output).Trim()}");
            return null;
        }
        double Number(string key) => double.Parse(values[key], CultureInfo.InvariantCulture);
        return (Number("tokens_per_s"), Number("ms_per_token_step"), Number("prefill_ms"), long.Parse(values["params"], CultureInfo.InvariantCulture));
    }

    static (int Exit, string Output, string Error) Execute(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, "", e.Message); }
    }

    static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }
}
