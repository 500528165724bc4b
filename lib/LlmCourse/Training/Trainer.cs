using System.Diagnostics;
using System.Text.Json;
using LlmCourse.Modeling;
using LlmCourse.Visuals;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmCourse.Training;

/// <summary>
/// Pre-training, one step at a time: take a batch of windows, measure how badly the model predicts
/// each next token (the loss), compute which way every parameter should move to do better (the
/// gradient), and move them a little (AdamW). Repeat.
/// </summary>
/// <example>
/// <code>
/// var (train, heldOut) = TokenWindows.Split(tokens, model.Config.ContextLength);
/// using var trainer = new Trainer(model, train, heldOut, new TrainingConfig(Steps: 600));
/// var chart = display(trainer.LossCurve());
/// trainer.StepCompleted += m => { if (m.Step % 25 == 0) chart.Update(trainer.LossCurve()); };
/// trainer.Run();
/// </code>
/// </example>
public sealed class Trainer : IDisposable
{
    readonly IBatchSource train;
    readonly IBatchSource? validation;
    readonly Parameter[] parameters;
    readonly AdamW optimizer;
    readonly Muon? muon;   // the blocks' weight matrices, when TrainingConfig.Optimizer is Muon
    readonly List<TrainingMetrics> history = [];

    /// <param name="model">The model to train, in place.</param>
    /// <param name="train">Batches to learn from: windows of a token stream, or conversations with a loss mask.</param>
    /// <param name="validation">Held-out batches to measure on (null: no held-out loss).</param>
    /// <param name="config">Schedule and hyper-parameters.</param>
    public Trainer(Gpt model, IBatchSource train, IBatchSource? validation, TrainingConfig config)
    {
        Config = config.Validate();
        if (train.ContextLength > model.Config.ContextLength)
            throw new ArgumentException($"Training windows of {train.ContextLength} tokens do not fit the model's context of {model.Config.ContextLength}.", nameof(train));
        if (validation is not null && validation.ContextLength != train.ContextLength)
            throw new ArgumentException("Held-out windows must be as long as the training windows.", nameof(validation));
        Model = model;
        this.train = train;
        this.validation = validation;

        MallocTuning.Apply();   // memory stays flat over long runs (see there)
        if (config.Threads is { } threads) torch.set_num_threads(threads);
        torch.manual_seed(config.Seed);   // dropout's randomness, if the model uses any
        model.train();

        // Weight decay pulls weights towards zero: right for the matrices that store patterns, wrong
        // for biases and LayerNorm gains (1-D), whose job is to set offsets and scales.
        var named = model.named_parameters().ToList();
        parameters = named.Select(p => p.parameter).ToArray();
        if (config.Optimizer == Optimizer.Muon)
        {
            // Muon takes the 2-D weights inside the blocks (attention and MLP matrices); embeddings, the
            // head and 1-D parameters stay with AdamW below.
            var matrices = named.Where(p => p.name.StartsWith("h.") && p.parameter.dim() == 2).ToList();
            muon = new Muon(matrices.Select(p => (p.parameter, p.name.EndsWith("c_attn.weight") ? 3 : 1)),
                config.MuonLearningRate, config.MuonMomentum);
            MuonParameterNames = matrices.Select(p => p.name).ToList();
            named = named.Where(p => !MuonParameterNames.Contains(p.name)).ToList();
        }
        var decay = named.Where(p => p.parameter.dim() >= 2).ToList();
        var noDecay = named.Where(p => p.parameter.dim() < 2).Select(p => p.parameter).ToList();
        DecayedParameterNames = decay.Select(p => p.name).ToList();
        optimizer = torch.optim.AdamW(
            [
                new AdamW.ParamGroup(decay.Select(p => p.parameter), lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: config.WeightDecay),
                new AdamW.ParamGroup(noDecay, lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2, weight_decay: 0.0),
            ],
            lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2);
    }

    public Gpt Model { get; }
    public TrainingConfig Config { get; }

    /// <summary>The parameters AdamW decays: the 2-D ones (linear weights, embedding tables) it trains.</summary>
    public IReadOnlyList<string> DecayedParameterNames { get; }

    /// <summary>The parameters Muon trains (none with AdamW alone).</summary>
    public IReadOnlyList<string> MuonParameterNames { get; } = [];

    /// <summary>Steps completed so far.</summary>
    public int Step { get; private set; }

    /// <summary>Tokens trained on so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>Every step's metrics so far (across a resume, too).</summary>
    public IReadOnlyList<TrainingMetrics> History => history;

    /// <summary>
    /// Measured on evaluation steps when set: how well the model copies from its context (see
    /// <see cref="Evaluation.Induction"/>). Copying forms suddenly, in a phase change; tracking it shows when.
    /// </summary>
    public Func<Gpt, double>? InductionProbe { get; set; }

    /// <summary>Raised after every step, on the training thread: update a live chart or progress bar here.</summary>
    public event Action<TrainingMetrics>? StepCompleted;

    /// <summary>Whether the run has done all its <see cref="TrainingConfig.Steps"/>.</summary>
    public bool IsFinished => Step >= Config.Steps;

    /// <summary>One optimizer step on the next batch; measures the held-out loss too on evaluation steps.</summary>
    public TrainingMetrics TrainStep()
    {
        if (IsFinished) throw new InvalidOperationException($"The run is finished: all {Config.Steps} steps are done.");
        var clock = Stopwatch.StartNew();
        var learningRate = Config.LearningRateAt(Step);
        double loss, gradientNorm;

        // Every tensor made during the step is freed when the step ends (without this, memory grows
        // by the activations of every step: ~80 MB a step for the live model).
        using (NewDisposeScope())
        {
            var (input, target) = train.Batch(Config.BatchSize, Config.Seed, Step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            if (muon is not null) muon.LearningRate = Config.MuonLearningRate * learningRate / Config.LearningRate;

            optimizer.zero_grad();
            muon?.ZeroGrad();
            var lossTensor = Model.Loss(input, target);
            lossTensor.backward();
            gradientNorm = Config.GradientClip > 0
                ? torch.nn.utils.clip_grad_norm_(parameters, Config.GradientClip)
                : GradientNorm();
            optimizer.step();
            muon?.Step();
            loss = lossTensor.item<float>();
        }
        clock.Stop();

        Step++;
        MallocTuning.AfterStep(Step);
        var tokens = (long)Config.BatchSize * train.ContextLength;
        Tokens += tokens;
        double? validationLoss = validation is not null && (Step % Config.EvalInterval == 0 || Step == Config.Steps)
            ? Evaluate()
            : null;
        double? induction = validationLoss is not null && InductionProbe is { } probe ? Model.Evaluating(() => probe(Model)) : null;
        var metrics = new TrainingMetrics(Step, loss, learningRate, gradientNorm, clock.Elapsed.TotalMilliseconds,
            tokens / clock.Elapsed.TotalSeconds, Tokens, validationLoss, induction);
        history.Add(metrics);
        StepCompleted?.Invoke(metrics);
        return metrics;
    }

    /// <summary>
    /// Trains until the run is finished, or for <paramref name="steps"/> more steps, or until cancelled
    /// (a stopped run can be saved and resumed). Returns the metrics of the steps it did.
    /// </summary>
    public IReadOnlyList<TrainingMetrics> Run(int? steps = null, CancellationToken cancellation = default)
    {
        if (steps is < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Cannot run a negative number of steps.");
        var end = Math.Min(Config.Steps, Step + (steps ?? Config.Steps));
        var done = new List<TrainingMetrics>();
        while (Step < end && !cancellation.IsCancellationRequested)
            done.Add(TrainStep());
        return done;
    }

    /// <summary>
    /// Mean loss on the held-out windows (the same <see cref="TrainingConfig.EvalBatches"/> batches each
    /// time). Training loss falling while this rises means the model memorises instead of generalising.
    /// </summary>
    public double Evaluate()
    {
        if (validation is null) throw new InvalidOperationException("This trainer has no held-out windows to evaluate on.");
        return Evaluate(Model, validation, Config.BatchSize, Config.EvalBatches, Config.Seed);
    }

    /// <summary>Mean loss of <paramref name="model"/> on <paramref name="batches"/> fixed batches of <paramref name="windows"/>.</summary>
    public static double Evaluate(Gpt model, IBatchSource windows, int batchSize = 16, int batches = 8, long seed = 1337) =>
        model.Evaluating(() =>
        {
            var total = 0.0;
            for (var i = 0; i < batches; i++)
            {
                using var scope = NewDisposeScope();
                // A seed of its own, apart from training's, so held-out batches never change during a run.
                var (input, target) = windows.Batch(batchSize, seed ^ 0x5EED_E7A1, i);
                total += model.Loss(input, target).item<float>();
            }
            return total / batches;
        });

    double GradientNorm()
    {
        using var scope = NewDisposeScope();
        var total = 0.0;
        foreach (var p in parameters)
            if (p.grad is { } g) total += g.pow(2).sum().item<float>();
        return Math.Sqrt(total);
    }

    /// <summary>The loss curve so far (training loss per step, held-out loss where measured).</summary>
    public LossCurve LossCurve(string? title = null) => new(history, title);

    /// <summary>
    /// Saves weights, config, tokenizer identity and everything needed to continue this run exactly:
    /// step, schedule, optimizer moments, metrics history.
    /// </summary>
    public void Save(string path, TokenizerIdentity? tokenizer)
    {
        byte[] optimizerState;
        using (var memory = new MemoryStream())
        {
            using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                optimizer.save_state_dict(writer);
                muon?.Save(writer);   // after AdamW's state, in the same section
            }
            optimizerState = memory.ToArray();
        }
        var state = new SavedState(Config, Step, Tokens, history, RandomState());
        Checkpoint.Save(path, Model, tokenizer, JsonSerializer.Serialize(state), optimizerState);
    }

    /// <summary>
    /// Continues a run saved with <see cref="Save"/>: rebuilds the model from the checkpoint, restores
    /// its weights and the optimizer's state, and picks up at the saved step with the same schedule and
    /// data order. Pass the same windows the run was started with.
    /// </summary>
    public static Trainer Resume(string path, IBatchSource train, IBatchSource? validation)
    {
        var checkpoint = Checkpoint.Read(path);
        if (checkpoint.TrainingState is null)
            throw new CheckpointException(path, "it holds weights only, no training state to resume from (it was saved with Checkpoint.Save, not Trainer.Save).");
        var state = JsonSerializer.Deserialize<SavedState>(checkpoint.TrainingState)
                    ?? throw new CheckpointException(path, "its training state is empty.");
        var model = new Gpt(checkpoint.Config);
        try
        {
            var trainer = new Trainer(model, train, validation, state.Config);
            Checkpoint.LoadInto(model, path, reader =>
            {
                trainer.optimizer.load_state_dict(reader);
                trainer.muon?.Load(reader);
            });
            trainer.Step = state.Step;
            trainer.Tokens = state.Tokens;
            trainer.history.AddRange(state.History);
            if (state.RandomState is { } random) RestoreRandomState(random);
            return trainer;
        }
        catch { model.Dispose(); throw; }
    }

    static byte[] RandomState()
    {
        using var state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }

    static void RestoreRandomState(byte[] bytes)
    {
        using var state = torch.tensor(bytes, dtype: ScalarType.Byte);
        torch.random.set_rng_state(state);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        muon?.Dispose();
    }

    sealed record SavedState(TrainingConfig Config, int Step, long Tokens, List<TrainingMetrics> History, byte[]? RandomState);
}
