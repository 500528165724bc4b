using System.Text.Json;

namespace LlmCourse.Modeling;

/// <summary>One evaluation step of a run, as its model card keeps it.</summary>
public sealed record CardPoint(int Step, long Tokens, double Loss, double? HeldOutLoss, double? Induction);

/// <summary>
/// How a shipped model was made, measured by the run that made it: what it started from, how many steps and
/// tokens, how long the steps took, and its final losses. Saved next to the checkpoint (<c>base.ckpt</c> →
/// <c>base.card.json</c>), so a notebook can compare the cost of two stages from their real runs.
/// </summary>
/// <param name="Model">Short name ("base", "assistant").</param>
/// <param name="Command">The command that rebuilds it.</param>
/// <param name="StartedFrom">The checkpoint it was fine-tuned from, or null when trained from scratch.</param>
/// <param name="Tokens">Tokens the training steps processed (batch × context × steps), masked or not: the D of 6·N·D.</param>
/// <param name="TrainedTokens">Of those, the tokens the loss trained on (fewer than Tokens when a loss mask is used), or null if not counted.</param>
/// <param name="StepSeconds">Wall time of the training steps alone (forward, backward, update), summed over the run.</param>
/// <param name="Threads">libtorch threads the run used.</param>
/// <param name="Curve">The run's evaluation steps: training and held-out loss, and the induction score where it was tracked.</param>
public sealed record ModelCard(string Model, string Command, GptConfig Config, long Parameters, string? StartedFrom, int Steps, int BatchSize,
    long Tokens, long? TrainedTokens, double StepSeconds, int Threads, double FinalLoss, double? HeldOutLoss, string Date,
    IReadOnlyList<CardPoint>? Curve = null)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Where the card of a checkpoint lives: the same name with .card.json.</summary>
    public static string PathFor(string checkpointPath) => Path.ChangeExtension(checkpointPath, ".card.json");

    public void Save(string checkpointPath)
    {
        var path = PathFor(checkpointPath);
        File.WriteAllText(path + ".partial", JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(path + ".partial", path, overwrite: true);
    }

    public static ModelCard Load(string checkpointPath)
    {
        var path = PathFor(checkpointPath);
        if (!File.Exists(path)) throw new FileNotFoundException($"No model card at {path}: the command that trains the model writes it.", path);
        try { return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new FormatException($"{path}: not a model card ({e.Message}).", e); }
    }
}
