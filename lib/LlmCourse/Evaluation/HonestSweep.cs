using System.Globalization;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>One threshold of the "I don't know" sweep, as `llmcourse train honest --sweep` measured it on held-out facts.</summary>
/// <remarks>
/// <see cref="OverRefusal"/> is measured on one fixed set of held-out facts, the same at every threshold: those the
/// assistant answered right in most sampled answers before any "I don't know" training (<see cref="KnownHeldOutFacts"/> of them).
/// </remarks>
public sealed record SweepPoint(double Threshold, int KnownTrainingFacts, double HallucinationRate, double OverRefusal, double Correct,
    double Wrong, double Refused, int KnownHeldOutFacts);

/// <summary>The threshold sweep of part 5: how strict "known" is, against hallucination and over-refusal.</summary>
public static class HonestSweep
{
    public static IReadOnlyList<SweepPoint> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No sweep results at {path}: `./llmcourse train honest --sweep` measures them.", path);
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select((line, n) =>
        {
            var f = line.Split('\t');
            if (f.Length != 8) throw new FormatException($"{path}, line {n + 2}: expected 8 tab-separated columns, found {f.Length}.");
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            int I(int i) => int.Parse(f[i], CultureInfo.InvariantCulture);
            return new SweepPoint(D(0), I(1), D(2), D(3), D(4), D(5), D(6), I(7));
        }).ToList();
    }

    public static Figure Chart(string path)
    {
        var points = Read(path);
        var known = points[0].KnownHeldOutFacts;   // the same fixed set at every threshold
        var figure = new Figure("Saying \"I don't know\": the knowledge threshold against hallucination and over-refusal")
            .Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.HallucinationRate), "hallucination rate (wrong answers)", markers: true);
        // Over-refusal is a share of the facts it knew; with none known there is nothing to refuse wrongly, and no line.
        figure = known > 0
            ? figure.Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.OverRefusal), $"over-refusal (refused, of the {known} facts it knew before)", markers: true)
            : figure.Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.Refused), "refused (it knew none of these facts before)", markers: true);
        return figure
            .Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.Correct), "correct answers", markers: true, dash: "dot")
            .XAxis("share of sampled answers that must be right to call a fact known").YAxis("% of held-out questions (over-refusal: of those it knew)").Height(360);
    }
}
