using System.CommandLine;
using System.Globalization;
using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Tasks;
using LlmCourse.Training;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

/// <summary>Part 5: `train honest` (the assistant that says "I don't know", and its threshold sweep) and `train tools`.</summary>
public static class PsychologyCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Train.Subcommands.Add(TrainHonest());
        groups.Train.Subcommands.Add(TrainTools());
    }

    static Command TrainHonest()
    {
        var output = new Option<string>("--output") { Description = "Where to write the checkpoint", DefaultValueFactory = _ => CourseData.PathOf(HonestAssistant.RelativePath) };
        var sweep = new Option<bool>("--sweep") { Description = "Instead: train briefly at several knowledge thresholds and write the hallucination/over-refusal table to data/models/honest-sweep.tsv" };
        var cmd = new Command("honest", "Interrogate the assistant about every training fact, then fine-tune it to answer what it knows and say \"I don't know\" to the rest");
        cmd.Options.Add(output);
        cmd.Options.Add(sweep);
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(Environment.ProcessorCount);
            MallocTuning.Apply();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var assistant = SupervisedFineTuning.LoadShipped();
            Console.WriteLine($"interrogating the assistant: {FactSplit.Shipped.Training.Count} training facts × {HonestAssistant.Samples} samples at temperature 1");
            var probes = HonestAssistant.Interrogate(assistant);
            HonestAssistant.WriteProbes(probes, CourseData.PathOf(HonestAssistant.ProbesRelativePath));
            Console.WriteLine($"  {probes.Count(p => p.Known(HonestAssistant.Threshold))} of {probes.Count} known at threshold {HonestAssistant.Threshold} ({clock.Elapsed.TotalSeconds:F0} s); wrote data/{HonestAssistant.ProbesRelativePath}");
            if (parse.GetValue(sweep)) return Sweep(probes, clock);

            var path = parse.GetValue(output)!;
            var training = HonestAssistant.Training;
            using var model = ModelCommands.WithProgress("honest", training.Steps, report => HonestAssistant.Run(probes, HonestAssistant.Threshold, path, training, report));
            Console.WriteLine($"wrote {Path.GetFullPath(path)} and its model card in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        });
        return cmd;
    }

    /// <summary>Short fine-tunes at several thresholds, each measured on the held-out facts and never-seen people.</summary>
    static int Sweep(IReadOnlyList<Probe> probes, System.Diagnostics.Stopwatch clock)
    {
        var heldOut = FactSplit.Shipped.HeldOut;
        // One fixed set of "facts it knew", for every threshold: the held-out facts the assistant answered right
        // in most of its sampled answers before any "I don't know" training. Over-refusal is the share of these refused.
        var knownBefore = Interrogation.Run(SupervisedFineTuning.LoadShipped(), heldOut, HonestAssistant.Samples)
            .Where(p => p.ShareCorrect > 0.5).Select(p => p.Fact.Fact).ToHashSet();
        Console.WriteLine($"  {knownBefore.Count} of {heldOut.Count} held-out facts known before (most sampled answers right)");
        var rows = new List<string> { "threshold\tknown_training_facts\thallucination_rate\tover_refusal\tcorrect\twrong\trefused\tknown_held_out_facts" };
        foreach (var threshold in new[] { 0.2, 0.4, 0.6, 0.8, 1.0 })
        {
            var path = Path.Combine(Path.GetTempPath(), $"llmcourse-honest-{threshold:F1}.ckpt");
            var training = HonestAssistant.Training with { Steps = 120, EvalInterval = 120 };
            using (ModelCommands.WithProgress($"threshold {threshold:F1}", training.Steps, report => HonestAssistant.Run(probes, threshold, path, training, report))) { }
            var replies = Hallucination.Ask(SupervisedFineTuning.Load(path), heldOut);
            File.Delete(path);
            File.Delete(Modeling.ModelCard.PathFor(path));
            var known = replies.Where(r => knownBefore.Contains(r.Fact.Fact)).ToList();
            var overRefusal = known.Count == 0 ? double.NaN : (double)known.Count(r => r.Verdict == Verdict.Refused) / known.Count;
            var row = string.Create(CultureInfo.InvariantCulture,
                $"{threshold:F1}\t{probes.Count(p => p.Known(threshold))}\t{Share(replies, Verdict.Wrong):F3}\t{overRefusal:F3}\t{Share(replies, Verdict.Correct):F3}\t{Share(replies, Verdict.Wrong):F3}\t{Share(replies, Verdict.Refused):F3}\t{known.Count}");
            rows.Add(row);
            Console.WriteLine($"  {row.Replace('\t', ' ')}");
        }
        File.WriteAllLines(CourseData.PathOf(HonestAssistant.SweepRelativePath), rows);
        Console.WriteLine($"wrote data/{HonestAssistant.SweepRelativePath} in {clock.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    static double Share(IReadOnlyList<FactReply> replies, Verdict v) => (double)replies.Count(r => r.Verdict == v) / replies.Count;

    static Command TrainTools()
    {
        var output = new Option<string>("--output") { Description = "Where to write the checkpoint", DefaultValueFactory = _ => CourseData.PathOf(ToolAssistant.RelativePath) };
        var cmd = new Command("tools", "Fine-tune the assistant on tool traces: search for facts, the calculator for arithmetic");
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(Environment.ProcessorCount);
            MallocTuning.Apply();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var path = parse.GetValue(output)!;
            var training = ToolAssistant.Training;
            using var model = ModelCommands.WithProgress("tools", training.Steps, report => ToolAssistant.Run(path, training, report));
            Console.WriteLine($"wrote {Path.GetFullPath(path)} and its model card in {clock.Elapsed.TotalMinutes:F1} min");
            return 0;
        });
        return cmd;
    }
}
