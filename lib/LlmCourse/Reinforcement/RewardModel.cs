using LlmCourse.Chat;
using LlmCourse.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Reinforcement;

/// <summary>
/// A simulation of the labellers' taste: the GPT trunk (blocks and final LayerNorm, no output head) reads a
/// conversation, and a linear head turns its last vector into one number, the reward. Trained on pairs of replies
/// with the Bradley–Terry loss, it learns to score the reply the labellers preferred higher — and whatever else
/// they happened to like.
/// </summary>
public sealed class RewardModel : Module<Tensor, Tensor, Tensor>
{
    readonly Gpt trunk;
    readonly Linear head;

    /// <param name="trunk">The network to start from (the assistant: it already reads conversations).</param>
    public RewardModel(Gpt trunk) : base(nameof(RewardModel))
    {
        this.trunk = trunk;
        head = Linear(trunk.Config.Width, 1);
        RegisterComponents();
        using var _ = no_grad();
        head.weight!.zero_();   // every reply starts at reward 0: no taste before training
        head.bias!.zero_();
    }

    public GptConfig Config => trunk.Config;

    /// <summary>
    /// Rewards of right-padded sequences [batch, T], each read up to its last real token (<paramref name="lastIndex"/>, [batch]):
    /// the trunk's hidden states (embeddings, blocks, final norm), then the head on the last position.
    /// </summary>
    public override Tensor forward(Tensor tokens, Tensor lastIndex)
    {
        var x = trunk.Hidden(tokens);                                                         // [batch, T, width]
        var last = x.gather(1, lastIndex.view(-1, 1, 1).expand(-1, 1, x.shape[2])).squeeze(1); // [batch, width]
        return head.forward(last).squeeze(-1);                                               // [batch]
    }

    /// <summary>Rewards of token sequences (no gradients), in batches.</summary>
    public double[] Score(IReadOnlyList<IReadOnlyList<int>> sequences, int batchSize = 32)
    {
        var scores = new List<double>(sequences.Count);
        var wasTraining = training;
        eval();
        try
        {
            using var _ = no_grad();
            for (var i = 0; i < sequences.Count; i += batchSize)
            {
                using var scope = NewDisposeScope();
                var (tokens, last) = Batch(sequences.Skip(i).Take(batchSize).ToList());
                scores.AddRange(forward(tokens, last).to(ScalarType.Float64).data<double>().ToArray());
            }
        }
        finally { if (wasTraining) train(); }
        return scores.ToArray();
    }

    /// <summary>The reward of each (conversation, reply) through the chat template.</summary>
    public double[] Score(ChatTemplate template, IReadOnlyList<(IReadOnlyList<Message> History, string Reply)> replies) =>
        Score(replies.Select(r => template.Render(new Conversation("scored", [.. r.History, Message.Assistant(r.Reply)])).Tokens).ToList());

    /// <summary>Right-pads sequences into one batch, with each one's last real position.</summary>
    public static (Tensor Tokens, Tensor LastIndex) Batch(IReadOnlyList<IReadOnlyList<int>> sequences)
    {
        var length = sequences.Max(s => s.Count);
        var tokens = new long[sequences.Count * length];
        for (var b = 0; b < sequences.Count; b++)
            for (var t = 0; t < sequences[b].Count; t++) tokens[b * length + t] = sequences[b][t];
        return (tensor(tokens, [sequences.Count, length]), tensor(sequences.Select(s => (long)s.Count - 1).ToArray()));
    }

    /// <summary>
    /// Bradley–Terry: the probability that people prefer the chosen reply is σ(r_chosen − r_rejected); the loss is its
    /// negative log, averaged over pairs. It only cares about differences: adding a constant to every reward changes nothing.
    /// </summary>
    public static Tensor BradleyTerryLoss(Tensor chosen, Tensor rejected) => -functional.logsigmoid(chosen - rejected).mean();

    /// <summary>Saves trunk and head in the course's checkpoint format.</summary>
    public void Save(string path, TokenizerIdentity tokenizer) => Checkpoint.Save(path, this, Config, tokenizer, null, null, halfPrecision: true);

    /// <summary>Loads a reward model saved with <see cref="Save"/>.</summary>
    public static RewardModel Load(string path)
    {
        var checkpoint = Checkpoint.Read(path);
        var model = new RewardModel(new Gpt(checkpoint.Config));
        Checkpoint.LoadInto(model, checkpoint.Config, path);
        return model;
    }
}
