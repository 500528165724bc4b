using System.Text.Json.Serialization;

namespace LlmCourse.Training;

/// <summary>
/// How to train: for how long, on how much at a time, how fast to learn. Defaults suit the course's
/// small models (nanoGPT's choices for its small character-level model, with GPT-3's AdamW betas).
/// </summary>
/// <param name="Steps">Optimizer steps in the whole run (the learning-rate schedule spans them).</param>
/// <param name="BatchSize">Windows per step; each step learns from BatchSize x ContextLength predictions.</param>
/// <param name="LearningRate">Peak learning rate, reached at the end of warm-up.</param>
/// <param name="MinLearningRate">Where the cosine decay ends, at the last step.</param>
/// <param name="WarmupSteps">Steps of linear warm-up from near 0: early gradients are large and noisy, and Adam's moment estimates are not settled yet.</param>
/// <param name="WeightDecay">AdamW's pull of weights towards 0, applied to matrices (2-D: linear layers and embeddings) only, never to biases or LayerNorm gains, which set scales and offsets rather than store patterns.</param>
/// <param name="Beta1">Adam's momentum.</param>
/// <param name="Beta2">Adam's second-moment average.</param>
/// <param name="GradientClip">Largest allowed gradient norm; a rare huge gradient is scaled down instead of wrecking the weights. 0 turns clipping off.</param>
/// <param name="EvalInterval">Measure the held-out loss every this many steps (and at the last step).</param>
/// <param name="EvalBatches">Held-out batches per measurement (the same batches every time, so measurements compare).</param>
/// <param name="Seed">Seeds the data order (and dropout): the same seed, model and data give the same run.</param>
/// <param name="Threads">CPU threads for libtorch; null leaves libtorch's default.</param>
/// <param name="Optimizer">AdamW for everything (GPT-2, nanoGPT), or Muon for the blocks' weight matrices
/// with AdamW for the rest (modded-nanogpt, nanochat).</param>
/// <param name="MuonLearningRate">Muon's peak learning rate; the schedule scales it as it scales LearningRate.</param>
/// <param name="MuonMomentum">Muon's momentum.</param>
public sealed record TrainingConfig(
    int Steps,
    int BatchSize = 16,
    double LearningRate = 1e-3,
    double MinLearningRate = 1e-4,
    int WarmupSteps = 100,
    double WeightDecay = 0.1,
    double Beta1 = 0.9,
    double Beta2 = 0.95,
    double GradientClip = 1.0,
    int EvalInterval = 100,
    int EvalBatches = 8,
    long Seed = 1337,
    int? Threads = null,
    Optimizer Optimizer = Optimizer.AdamW,
    double MuonLearningRate = 0.02,
    double MuonMomentum = 0.95)
{
    public TrainingConfig Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Train for at least one step.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch holds at least one window.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        if (!(MinLearningRate >= 0 && MinLearningRate <= LearningRate))
            throw new ArgumentOutOfRangeException(nameof(MinLearningRate), MinLearningRate, $"The final learning rate must be between 0 and LearningRate ({LearningRate}).");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "Warm-up cannot be negative.");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay cannot be negative.");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must be in [0, 1).");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must be in [0, 1).");
        if (!(GradientClip >= 0)) throw new ArgumentOutOfRangeException(nameof(GradientClip), GradientClip, "The clipping norm cannot be negative (0 turns clipping off).");
        if (EvalInterval < 1) throw new ArgumentOutOfRangeException(nameof(EvalInterval), EvalInterval, "Evaluate at least every so many steps (>= 1).");
        if (EvalBatches < 1) throw new ArgumentOutOfRangeException(nameof(EvalBatches), EvalBatches, "Evaluate on at least one batch.");
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimizer (AdamW or Muon).");
        if (!(MuonLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(MuonLearningRate), MuonLearningRate, "Muon's learning rate must be positive.");
        if (!(MuonMomentum >= 0 && MuonMomentum < 1)) throw new ArgumentOutOfRangeException(nameof(MuonMomentum), MuonMomentum, "Muon's momentum must be in [0, 1).");
        if (Threads is < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Use at least one thread.");
        return this;
    }

    /// <summary>Tokens the whole run trains on (predictions made), for windows of <paramref name="contextLength"/> tokens: the D of 6·N·D.</summary>
    public long Tokens(int contextLength) => (long)Steps * BatchSize * contextLength;

    /// <summary>
    /// The learning rate for step <paramref name="step"/> (0-based): linear warm-up to LearningRate,
    /// then half a cosine down to MinLearningRate at the last step. Big steps early would throw the
    /// young model around; small steps late let it settle into a minimum.
    /// </summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / (WarmupSteps + 1);
        var decaySteps = Math.Max(1, Steps - 1 - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));   // 1 -> 0
        return MinLearningRate + cosine * (LearningRate - MinLearningRate);
    }
}

/// <summary>Which optimizer trains the model (see <see cref="TrainingConfig.Optimizer"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Optimizer>))]
public enum Optimizer { AdamW, Muon }
