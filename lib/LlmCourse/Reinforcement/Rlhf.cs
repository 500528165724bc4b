using System.Globalization;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tasks;
using LlmCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Reinforcement;

/// <summary>One reward-model training step's loss, and where measured, its accuracy on held-out pairs.</summary>
public sealed record RewardModelMetrics(int Step, double Loss, double? AgreesWithLabellers = null, double? AgreesWithTruth = null);

/// <summary>A reply as RLHF or best-of-n scored it: the reward model's proxy score and the hidden true score.</summary>
public sealed record ScoredReply(int Prompt, string Reply, double Proxy, double True);

/// <summary>One RLHF measurement: the mean proxy reward the policy optimises, and the mean true score it never sees (greedy replies to held-out prompts).</summary>
/// <param name="Run">Which run: "no KL" or "KL 0.1", say.</param>
public sealed record RlhfPoint(string Run, int Step, double Proxy, double True, double MeanLength, double? Kl);

/// <summary>
/// Part 7: reinforcement learning from human feedback, on toast and travel-tip requests. Labellers rank samples of
/// the assistant; a reward model learns their rankings; the assistant is optimised against the reward model — and the
/// hidden true preference shows when that stops helping. Also best-of-n (no training) and DPO (no reward model).
/// </summary>
public static class Rlhf
{
    public const string RewardModelRelativePath = "models/reward.ckpt";
    public const string PairsRelativePath = "rlhf/pairs.tsv";
    public const string CurvesRelativePath = "models/rlhf-curves.tsv";
    public const string SamplesRelativePath = "models/rlhf-samples.tsv";
    public const string DpoRelativePath = "models/dpo.ckpt";

    /// <summary>Replies sampled per prompt for the labellers to rank.</summary>
    public const int RankedPerPrompt = 4;

    static IReadOnlyList<string> Cities() =>
        FactSplit.Shipped.Training.Where(f => f.Fact.Relation == "capital").Select(f => f.Fact.Value).Distinct().ToList();

    /// <summary>Prompts for collecting rankings and for RL (stream 0), and held-out prompts for measuring (stream 1).</summary>
    public static IReadOnlyList<PreferencePrompt> TrainingPrompts() => Preferences.Prompts(600, 0, Cities());
    public static IReadOnlyList<PreferencePrompt> HeldOutPrompts() => Preferences.Prompts(90, 1, Cities());

    static IReadOnlyList<Message> History(PreferencePrompt p) => [Message.User(p.Question)];

    /// <summary>The labellers at work: <see cref="RankedPerPrompt"/> sampled replies per prompt, ranked by a (noisy, biased) labeller.</summary>
    public static IReadOnlyList<Ranking> CollectRankings(ChatAssistant assistant, IReadOnlyList<PreferencePrompt> prompts, ulong seed = 7)
    {
        var replies = assistant.ReplyAll(prompts.Select(History).ToList(), new Sampling(1.0), 80, RankedPerPrompt, (long)seed);
        return prompts.Select((p, i) => Preferences.Rank(i, p, replies.Where(r => r.Conversation == i).Select(r => r.Text).ToList(), seed)).ToList();
    }

    /// <summary>Token sequences of a prompt with a reply, through the chat template (what the reward model reads).</summary>
    public static IReadOnlyList<int> Sequence(ChatTemplate template, PreferencePrompt prompt, string reply) =>
        template.Render(new Conversation("scored", [.. History(prompt), Message.Assistant(reply)])).Tokens;

    /// <summary>
    /// Trains <paramref name="model"/> on preference pairs with the Bradley–Terry loss (AdamW, mini-batches of pairs,
    /// seeded order); every <paramref name="evalEvery"/> steps its held-out accuracy against the labellers and against
    /// the true preference is measured.
    /// </summary>
    public static void TrainRewardModel(RewardModel model, ChatTemplate template, IReadOnlyList<PreferencePrompt> prompts, IReadOnlyList<PreferencePair> pairs,
        IReadOnlyList<PreferencePrompt> heldOutPrompts, IReadOnlyList<PreferencePair> heldOutPairs, int steps, int batchSize = 16, double learningRate = 1e-4,
        int evalEvery = 50, Action<RewardModelMetrics>? progress = null, long seed = 3)
    {
        MallocTuning.Apply();
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: learningRate, beta1: 0.9, beta2: 0.95, weight_decay: 0.0);
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        for (var step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            model.train();
            var start = (step - 1) * batchSize % pairs.Count;
            if (start < batchSize) Rng.For((ulong)seed, (ulong)(step * batchSize / pairs.Count)).Shuffle(order);
            var batch = Enumerable.Range(0, batchSize).Select(k => pairs[order[(start + k) % pairs.Count]]).ToList();
            var (chosenTokens, chosenLast) = RewardModel.Batch(batch.Select(p => Sequence(template, prompts[p.Prompt], p.Chosen)).ToList());
            var (rejectedTokens, rejectedLast) = RewardModel.Batch(batch.Select(p => Sequence(template, prompts[p.Prompt], p.Rejected)).ToList());
            optimizer.zero_grad();
            var loss = RewardModel.BradleyTerryLoss(model.forward(chosenTokens, chosenLast), model.forward(rejectedTokens, rejectedLast));
            loss.backward();
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            MallocTuning.AfterStep(step);
            var measured = step % evalEvery == 0 || step == steps ? Accuracy(model, template, heldOutPrompts, heldOutPairs) : ((double, double)?)null;
            progress?.Invoke(new RewardModelMetrics(step, loss.item<float>(), measured?.Item1, measured?.Item2));
        }
    }

    /// <summary>
    /// Share of held-out pairs the reward model orders as the labeller did, and as the true preference does (pairs the
    /// true preference calls a tie are left out of the second).
    /// </summary>
    public static (double VsLabellers, double VsTruth) Accuracy(RewardModel model, ChatTemplate template, IReadOnlyList<PreferencePrompt> prompts, IReadOnlyList<PreferencePair> pairs)
    {
        var chosen = model.Score(pairs.Select(p => Sequence(template, prompts[p.Prompt], p.Chosen)).ToList());
        var rejected = model.Score(pairs.Select(p => Sequence(template, prompts[p.Prompt], p.Rejected)).ToList());
        var labellers = pairs.Select((_, i) => chosen[i] > rejected[i]).Count(x => x) / (double)pairs.Count;
        var truth = pairs.Select((p, i) => (Truth: Preferences.TrueScore(prompts[p.Prompt], p.Chosen) - Preferences.TrueScore(prompts[p.Prompt], p.Rejected), Model: chosen[i] - rejected[i]))
            .Where(x => Math.Abs(x.Truth) > 1e-9).ToList();
        return (labellers, truth.Count(x => Math.Sign(x.Truth) == Math.Sign(x.Model)) / (double)Math.Max(1, truth.Count));
    }

    /// <summary>RL against the reward model: the reward of a reply is the reward model's score of it.</summary>
    public sealed class RewardModelTask(IReadOnlyList<PreferencePrompt> prompts, RewardModel model, ChatTemplate template) : IRewardTask
    {
        public IReadOnlyList<PreferencePrompt> Prompts { get; } = prompts;
        public int Count => Prompts.Count;
        public IReadOnlyList<Message> Prompt(int index) => History(Prompts[index]);
        public IReadOnlyList<double> Rewards(IReadOnlyList<(int Prompt, string Reply)> replies) =>
            model.Score(replies.Select(r => Sequence(template, Prompts[r.Prompt], r.Reply)).ToList());
    }

    /// <summary>
    /// Best-of-n, with no training at all: sample n replies, keep the one the reward model scores highest. For each n up to
    /// <paramref name="maxSamples"/>, the mean proxy and true score of the kept reply over the prompts.
    /// </summary>
    public static IReadOnlyList<(int N, double Proxy, double True)> BestOfN(ChatAssistant assistant, RewardModel model, IReadOnlyList<PreferencePrompt> prompts,
        int maxSamples = 64, long seed = 11)
    {
        var replies = assistant.ReplyAll(prompts.Select(History).ToList(), new Sampling(1.0), 80, maxSamples, seed);
        var proxy = model.Score(replies.Select(r => Sequence(assistant.Template, prompts[r.Conversation], r.Text)).ToList());
        var truth = replies.Select(r => Preferences.TrueScore(prompts[r.Conversation], r.Text)).ToList();
        return BestOf(proxy, truth, maxSamples, Enumerable.Range(0, 7).Select(i => 1 << i).Where(n => n <= maxSamples));
    }

    /// <summary>
    /// The selection itself: replies come prompt by prompt, <paramref name="samplesPerPrompt"/> each; for each n, keep the
    /// first n samples' proxy favourite per prompt, and average its proxy and true scores over the prompts.
    /// </summary>
    public static IReadOnlyList<(int N, double Proxy, double True)> BestOf(IReadOnlyList<double> proxy, IReadOnlyList<double> truth, int samplesPerPrompt, IEnumerable<int> ns) =>
        ns.Select(n =>
        {
            var kept = Enumerable.Range(0, proxy.Count / samplesPerPrompt)
                .Select(p => Enumerable.Range(p * samplesPerPrompt, n).MaxBy(i => proxy[i]))
                .ToList();
            return (n, kept.Average(i => proxy[i]), kept.Average(i => truth[i]));
        }).ToList();

    /// <summary>The KL divergence between best-of-n and the model it samples from is at most ln n − (n − 1)/n (Stiennon et al., 2020).</summary>
    public static double BestOfNKlBound(int n) => Math.Log(n) - (n - 1.0) / n;

    /// <summary>The policy's greedy replies to <paramref name="prompts"/>, each with its proxy and true score.</summary>
    public static IReadOnlyList<ScoredReply> Score(ChatAssistant policy, RewardModel model, IReadOnlyList<PreferencePrompt> prompts)
    {
        var replies = policy.ReplyAll(prompts.Select(History).ToList(), Sampling.Greedy, 80);
        var proxy = model.Score(replies.Select(r => Sequence(policy.Template, prompts[r.Conversation], r.Text)).ToList());
        return replies.Select((r, i) => new ScoredReply(r.Conversation, r.Text, proxy[i], Preferences.TrueScore(prompts[r.Conversation], r.Text))).ToList();
    }

    /// <summary>
    /// DPO on the preference pairs from the starting model (frozen copy as the reference): mini-batches of pairs,
    /// AdamW, seeded order. The policy is trained in place.
    /// </summary>
    public static void TrainDpo(Gpt policy, Gpt reference, ChatTemplate template, IReadOnlyList<PreferencePrompt> prompts, IReadOnlyList<PreferencePair> pairs,
        int steps, int batchSize = 8, double learningRate = 2e-5, double beta = 0.1, Action<int, double>? progress = null, long seed = 5)
    {
        MallocTuning.Apply();
        using var optimizer = torch.optim.AdamW(policy.parameters(), lr: learningRate, beta1: 0.9, beta2: 0.95, weight_decay: 0.0);
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        reference.eval();
        for (var step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            policy.train();
            var start = (step - 1) * batchSize % pairs.Count;
            if (start < batchSize) Rng.For((ulong)seed, (ulong)(step * batchSize / pairs.Count)).Shuffle(order);
            var batch = Enumerable.Range(0, batchSize).Select(k => pairs[order[(start + k) % pairs.Count]]).ToList();
            List<(IReadOnlyList<int>, IReadOnlyList<int>)> Rows(Func<PreferencePair, string> reply) => batch.Select(p =>
            {
                var prompt = template.Prompt(History(prompts[p.Prompt]));
                return (prompt, (IReadOnlyList<int>)[.. template.Tokenizer.Encode(reply(p)), template.EndId]);
            }).ToList();
            var (chosen, rejected) = (Rows(p => p.Chosen), Rows(p => p.Rejected));
            Tensor refChosen, refRejected;
            using (no_grad()) { refChosen = Dpo.SequenceLogProbabilities(reference, chosen); refRejected = Dpo.SequenceLogProbabilities(reference, rejected); }
            optimizer.zero_grad();
            var loss = Dpo.Loss(Dpo.SequenceLogProbabilities(policy, chosen), Dpo.SequenceLogProbabilities(policy, rejected), refChosen, refRejected, beta);
            loss.backward();
            torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0);
            optimizer.step();
            MallocTuning.AfterStep(step);
            progress?.Invoke(step, loss.item<float>());
        }
    }

    public static void WriteCurves(IEnumerable<RlhfPoint> points, string path) =>
        File.WriteAllLines(path, ["run\tstep\tproxy\ttrue\tmean_length\tkl", .. points.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Run}\t{p.Step}\t{p.Proxy:F4}\t{p.True:F4}\t{p.MeanLength:F1}\t{(p.Kl is { } k ? k.ToString("F4", CultureInfo.InvariantCulture) : "")}"))]);

    public static IReadOnlyList<RlhfPoint> ReadCurves(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select((line, n) =>
        {
            var f = line.Split('\t');
            if (f.Length != 6) throw new FormatException($"{path}, line {n + 2}: expected 6 tab-separated columns, found {f.Length}.");
            var inv = CultureInfo.InvariantCulture;
            return new RlhfPoint(f[0], int.Parse(f[1], inv), double.Parse(f[2], inv), double.Parse(f[3], inv), double.Parse(f[4], inv), f[5].Length == 0 ? null : double.Parse(f[5], inv));
        }).ToList();
}
