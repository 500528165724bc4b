using LlmCourse.Training;

namespace LlmCourse.Visuals;

/// <summary>
/// Training loss per step (raw and smoothed) and held-out loss where measured. Cheap to rebuild from
/// the metrics so far, so a notebook redraws it live: <c>chart.Update(trainer.LossCurve())</c>.
/// </summary>
public sealed class LossCurve : HtmlView
{
    const int MaxPoints = 600;   // a long run is thinned so the page stays small

    public LossCurve(IEnumerable<TrainingMetrics> history, string? title = null)
    {
        History = history.ToList();
        Title = title ?? "Loss (lower is better)";
    }

    public IReadOnlyList<TrainingMetrics> History { get; }
    public string Title { get; }

    /// <summary>Exponential moving average of the training loss: the trend under the batch-to-batch noise.</summary>
    public IReadOnlyList<double> Smoothed()
    {
        var smoothed = new double[History.Count];
        double average = 0, weight = 0;
        for (var i = 0; i < History.Count; i++)
        {
            average = 0.9 * average + 0.1 * History[i].Loss;
            weight = 0.9 * weight + 0.1;
            smoothed[i] = average / weight;   // bias-corrected, so the first points are not pulled to 0
        }
        return smoothed;
    }

    public Figure Chart()
    {
        var stride = Math.Max(1, (History.Count + MaxPoints - 1) / MaxPoints);
        var kept = Enumerable.Range(0, History.Count).Where(i => i % stride == 0 || i == History.Count - 1).ToArray();
        var smoothed = Smoothed();
        var heldOut = History.Where(m => m.ValidationLoss is not null).ToArray();

        var figure = new Figure(Title)
            .Line(kept.Select(i => History[i].Step), kept.Select(i => History[i].Loss), "training (per batch)", color: "rgba(31,119,180,0.3)", width: 1)
            .Line(kept.Select(i => History[i].Step), kept.Select(i => smoothed[i]), "training (smoothed)", color: "rgb(31,119,180)", width: 2)
            .XAxis("step").YAxis("loss (nats per token)").Height(360);
        return heldOut.Length == 0 ? figure
            : figure.Line(heldOut.Select(m => m.Step), heldOut.Select(m => m.ValidationLoss!.Value), "held-out", markers: true, color: "rgb(214,39,40)", width: 2);
    }

    public override string ToHtml() => Chart().ToHtml();

    public override string ToText()
    {
        if (History.Count == 0) return "loss curve: no steps yet";
        var last = History[^1];
        var heldOut = History.LastOrDefault(m => m.ValidationLoss is not null)?.ValidationLoss;
        return $"loss curve: step {last.Step}, training loss {Smoothed()[^1]:F3} (smoothed)" +
               (heldOut is { } h ? $", held-out {h:F3}" : "");
    }
}
