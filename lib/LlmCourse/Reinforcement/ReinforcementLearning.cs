using System.Diagnostics;
using System.Text.Json;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmCourse.Reinforcement;

/// <summary>What reinforcement learning practises on: prompts, and a reward for a reply to each.</summary>
public interface IRewardTask
{
    /// <summary>How many distinct prompts there are to practise on.</summary>
    int Count { get; }

    /// <summary>The conversation that prompt <paramref name="index"/> puts to the model (it ends with the user's message).</summary>
    IReadOnlyList<Message> Prompt(int index);

    /// <summary>The reward of each reply: 1 or 0 for a checkable answer, a reward model's score otherwise.</summary>
    IReadOnlyList<double> Rewards(IReadOnlyList<(int Prompt, string Reply)> replies);
}

/// <summary>How a reinforcement-learning run practises.</summary>
/// <param name="Steps">Policy updates.</param>
/// <param name="PromptsPerStep">Distinct prompts per update (each a group of attempts).</param>
/// <param name="SamplesPerPrompt">Attempts per prompt, k: the group whose mean reward is the baseline.</param>
/// <param name="MaxNewTokens">The longest reply an attempt may write.</param>
/// <param name="Temperature">Sampling temperature of the attempts: exploration.</param>
/// <param name="LearningRate">AdamW's step size; small, because every update follows the model's own samples.</param>
/// <param name="KlWeight">Weight of the pull towards the starting model (0: none).</param>
public sealed record RlConfig(int Steps, int PromptsPerStep = 8, int SamplesPerPrompt = 8, int MaxNewTokens = 100, double Temperature = 1.0,
    double LearningRate = 2e-5, double GradientClip = 1.0, double KlWeight = 0, long Seed = 1);

/// <summary>One update of a reinforcement-learning run.</summary>
/// <param name="MeanReward">Mean reward of the step's attempts (before the update).</param>
/// <param name="SkippedGroups">Groups whose attempts all scored the same, so taught nothing.</param>
/// <param name="MeanLength">Mean tokens per attempt.</param>
/// <param name="Kl">Estimated KL divergence from the starting model on the written tokens (when a reference is kept).</param>
public sealed record RlMetrics(int Step, double MeanReward, int SkippedGroups, int Groups, double MeanLength, double Loss, double? Kl, double Milliseconds);

/// <summary>
/// Reinforcement learning the way GRPO does it, simplified as in nanochat: for each prompt, sample several
/// attempts from the current model; score them; give each attempt its reward minus its group's mean (the
/// advantage); make the tokens of above-average attempts likelier and those of below-average ones rarer. No
/// value network, no clipping: every update uses fresh samples of the model as it is (on-policy).
/// </summary>
/// <example>
/// <code>
/// using var rl = new ReinforcementLearning(policy, reference: null, template, new WordProblemTask(problems), new RlConfig(Steps: 100));
/// rl.StepCompleted += m => Console.WriteLine($"step {m.Step}: reward {m.MeanReward:P0}");
/// rl.Run();
/// </code>
/// </example>
public sealed class ReinforcementLearning : IDisposable
{
    readonly Gpt? reference;
    readonly ChatTemplate template;
    readonly IRewardTask task;
    readonly AdamW optimizer;
    readonly List<RlMetrics> history = [];

    public ReinforcementLearning(Gpt policy, Gpt? reference, ChatTemplate template, IRewardTask task, RlConfig config)
    {
        if (config.KlWeight > 0 && reference is null) throw new ArgumentException("A KL term needs the reference model to compare with.", nameof(reference));
        Policy = policy;
        this.reference = reference;
        this.template = template;
        this.task = task;
        Config = config;
        MallocTuning.Apply();
        optimizer = torch.optim.AdamW(policy.parameters(), lr: config.LearningRate, beta1: 0.9, beta2: 0.95, weight_decay: 0);
        Generator = new BatchGenerator(policy);
    }

    public Gpt Policy { get; }
    public RlConfig Config { get; }
    public BatchGenerator Generator { get; }
    public int Step { get; private set; }
    public IReadOnlyList<RlMetrics> History => history;
    public bool IsFinished => Step >= Config.Steps;

    /// <summary>Raised after every update, on the training thread.</summary>
    public event Action<RlMetrics>? StepCompleted;

    /// <summary>The attempts of the last step, with their rewards: what the notebook shows.</summary>
    public IReadOnlyList<(Attempt Attempt, string Reply, double Advantage)> LastAttempts { get; private set; } = [];

    /// <summary>One update: sample, score, compute advantages, take a policy-gradient step.</summary>
    public RlMetrics TrainStep()
    {
        if (IsFinished) throw new InvalidOperationException($"The run is finished: all {Config.Steps} steps are done.");
        var clock = Stopwatch.StartNew();
        var prompts = PromptsOf(Step);
        var attempts = Sample(prompts, Config.Temperature, Config.SamplesPerPrompt, Config.Seed * 1_000_003 + Step);
        var (advantages, skipped) = PolicyGradient.Advantages(attempts.Select(a => a.Attempt).ToList());
        LastAttempts = attempts.Select((a, i) => (a.Attempt, a.Reply, advantages[i])).ToList();

        double loss = 0;
        double? kl = null;
        var kept = Enumerable.Range(0, attempts.Count).Where(i => !skipped[i]).ToList();
        if (kept.Count > 0)
        {
            using var scope = NewDisposeScope();
            Policy.train();
            optimizer.zero_grad();
            var batch = kept.Select(i => attempts[i].Attempt).ToList();
            var (logProbs, mask) = PolicyGradient.LogProbabilities(Policy, batch);
            var objective = PolicyGradient.Loss(logProbs, mask, kept.Select(i => advantages[i]).ToList());
            if (reference is not null)
            {
                Tensor referenceLogProbs;
                using (no_grad()) referenceLogProbs = PolicyGradient.LogProbabilities(reference, batch).LogProbs;
                var divergence = PolicyGradient.KlToReference(logProbs, referenceLogProbs, mask);
                kl = divergence.item<float>();
                if (Config.KlWeight > 0) objective = objective + Config.KlWeight * divergence;
            }
            objective.backward();
            if (Config.GradientClip > 0) torch.nn.utils.clip_grad_norm_(Policy.parameters(), Config.GradientClip);
            optimizer.step();
            loss = objective.item<float>();
        }
        Step++;
        MallocTuning.AfterStep(Step);
        var groups = prompts.Count;
        var metrics = new RlMetrics(Step, attempts.Average(a => a.Attempt.Reward),
            attempts.Select((a, i) => (a.Attempt.Group, skipped[i])).Distinct().Count(x => x.Item2), groups,
            attempts.Average(a => a.Attempt.Completion.Count), loss, kl, clock.Elapsed.TotalMilliseconds);
        history.Add(metrics);
        StepCompleted?.Invoke(metrics);
        return metrics;
    }

    /// <summary>Updates until the run is finished, or <paramref name="steps"/> more, or cancelled.</summary>
    public void Run(int? steps = null, CancellationToken cancellation = default)
    {
        var end = Math.Min(Config.Steps, Step + (steps ?? Config.Steps));
        while (Step < end && !cancellation.IsCancellationRequested) TrainStep();
    }

    /// <summary>
    /// Attempts at the given prompts: <paramref name="samples"/> each, sampled together by the batched generator, each
    /// ending at &lt;|end|&gt; (written, so part of what is learned) or at the token limit.
    /// </summary>
    public IReadOnlyList<(Attempt Attempt, string Reply)> Sample(IReadOnlyList<int> prompts, double temperature, int samples, long seed)
    {
        var tokens = prompts.Select(p => template.Prompt(task.Prompt(p))).ToList();
        var completions = Generator.Generate(tokens, samples, Config.MaxNewTokens,
            temperature == 0 ? Sampling.Greedy : new Sampling(temperature), [template.EndId], seed);
        var replies = completions.Select(c => template.Tokenizer.Decode(c.Tokens)).ToList();
        var rewards = task.Rewards(completions.Select((c, i) => (prompts[c.Prompt], replies[i])).ToList());
        return completions.Select((c, i) => (new Attempt(prompts[c.Prompt], tokens[c.Prompt], c.Sampled.ToList(), rewards[i]), replies[i])).ToList();
    }

    /// <summary>The prompts of step <paramref name="step"/>: a fresh shuffle of all prompts every pass, a pure function of (seed, step).</summary>
    IReadOnlyList<int> PromptsOf(int step)
    {
        var perPass = Math.Max(1, task.Count / Config.PromptsPerStep);
        var pass = step / perPass;
        var order = Enumerable.Range(0, task.Count).ToArray();
        Rng.For((ulong)Config.Seed, (ulong)pass).Shuffle(order);
        return order.Skip(step % perPass * Config.PromptsPerStep).Take(Config.PromptsPerStep).ToList();
    }

    /// <summary>Saves the policy and everything needed to continue exactly: step, optimizer moments, history.</summary>
    public void Save(string path, TokenizerIdentity tokenizer)
    {
        byte[] optimizerState;
        using (var memory = new MemoryStream())
        {
            using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
            optimizerState = memory.ToArray();
        }
        Checkpoint.Save(path, Policy, tokenizer, JsonSerializer.Serialize(new SavedState(Config, Step, history)), optimizerState);
    }

    /// <summary>Continues a run saved with <see cref="Save"/>: the policy's weights, optimizer state, step and history.</summary>
    public static ReinforcementLearning Resume(string path, Gpt? reference, ChatTemplate template, IRewardTask task)
    {
        var checkpoint = Checkpoint.Read(path);
        var state = checkpoint.TrainingState is { } json ? JsonSerializer.Deserialize<SavedState>(json) : null;
        if (state is null) throw new CheckpointException(path, "it holds no reinforcement-learning state to resume from.");
        var policy = new Gpt(checkpoint.Config);
        var rl = new ReinforcementLearning(policy, reference, template, task, state.Config);
        Checkpoint.LoadInto(policy, path, reader => rl.optimizer.load_state_dict(reader));
        rl.Step = state.Step;
        rl.history.AddRange(state.History);
        return rl;
    }

    public void Dispose() => optimizer.Dispose();

    sealed record SavedState(RlConfig Config, int Step, List<RlMetrics> History);
}
