using System.Globalization;
using LlmCourse.Visuals;

namespace LlmCourse.Evaluation;

/// <summary>One threshold of the "I don't know" sweep, as `llmcourse train honest --sweep` measured it on held-out facts.</summary>
public sealed record SweepPoint(double Threshold, int KnownTrainingFacts, double HallucinationRate, double OverRefusal, double Correct, double Wrong, double Refused);

/// <summary>The threshold sweep of part 5: how strict "known" is, against hallucination and over-refusal.</summary>
public static class HonestSweep
{
    public static IReadOnlyList<SweepPoint> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No sweep results at {path}: `./llmcourse train honest --sweep` measures them.", path);
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select((line, n) =>
        {
            var f = line.Split('\t');
            if (f.Length != 7) throw new FormatException($"{path}, line {n + 2}: expected 7 tab-separated columns, found {f.Length}.");
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            return new SweepPoint(D(0), int.Parse(f[1], CultureInfo.InvariantCulture), D(2), D(3), D(4), D(5), D(6));
        }).ToList();
    }

    public static Figure Chart(string path)
    {
        var points = Read(path);
        return new Figure("Saying \"I don't know\": the knowledge threshold against hallucination and over-refusal")
            .Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.HallucinationRate), "hallucination rate (wrong answers)", markers: true)
            .Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.OverRefusal), "over-refusal (refused facts it knew)", markers: true)
            .Line(points.Select(p => p.Threshold), points.Select(p => 100 * p.Correct), "correct answers", markers: true, dash: "dot")
            .XAxis("share of sampled answers that must be right to call a fact known").YAxis("held-out questions (%)").Height(360);
    }
}
