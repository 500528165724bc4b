using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tokenization;
using LlmCourse.Visuals;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Evaluation;

/// <summary>
/// What <see cref="Induction.Measure"/> found: how well a model continues a random sequence the second
/// time it sees it.
/// </summary>
/// <param name="Score">Share of second-copy tokens (all but the copy's first) whose top prediction is right: the induction score, 0..1.</param>
/// <param name="FirstCopyLoss">Mean loss on the first copy (all but its first token): random tokens, so about ln(choices) for any model.</param>
/// <param name="SecondCopyLoss">Mean loss on the second copy (all but its first token): near 0 for a model that copies from context.</param>
/// <param name="PerPositionLoss">Mean loss of each token of the repeated sequence, first copy then second
/// (2 x Length values); NaN for token 0 when nothing precedes it.</param>
/// <param name="Chance">The score of guessing: 1 / number of token ids drawn from.</param>
public sealed record InductionResult(double Score, double FirstCopyLoss, double SecondCopyLoss, double[] PerPositionLoss, double Chance)
{
    public int Length => PerPositionLoss.Length / 2;

    public override string ToString() =>
        $"induction score {Score:P1} (chance {Chance:P2}); loss first copy {FirstCopyLoss:F2}, second copy {SecondCopyLoss:F2}";
}

/// <summary>
/// The induction probe: feed sequences of random tokens twice in a row ("A B C D ... A B C D ...") and
/// see whether the model predicts the second copy. Nothing in training data makes a random sequence
/// predictable, so the only way to get the second copy right is to find the earlier occurrence of the
/// current token and copy what came after it: what an induction head does (Olsson et al. 2022), the
/// circuit behind in-context learning.
/// </summary>
public static class Induction
{
    /// <summary>Ids below this are the BPE's 256 single bytes; the probe draws merged tokens, ordinary text pieces.</summary>
    public const int FirstOrdinaryId = 256;

    /// <summary>
    /// The probe for a model with the course's BPE tokenizer: ordinary tokens are its vocabulary without the special
    /// tokens, and every sequence starts with &lt;|endoftext|&gt;, as a document does in pre-training.
    /// </summary>
    public static InductionResult Measure(LanguageModel model, int sequences = 50, int length = 24, long seed = 1)
    {
        if (model.Tokenizer is not BpeTokenizer bpe)
            throw new ArgumentException($"The probe needs the course's BPE tokenizer, not {model.Tokenizer.GetType().Name}.", nameof(model));
        var endOfText = bpe.SpecialTokens.TryGetValue(Training.BaseModel.EndOfText, out var id) ? id : (int?)null;
        return Measure(model.Model, bpe.VocabSize - bpe.SpecialTokens.Count, endOfText, sequences, length, seed);
    }

    /// <param name="model">The model to probe.</param>
    /// <param name="ordinaryTokens">Ids below this are ordinary tokens (the tokenizer's vocabulary without its
    /// special tokens, e.g. <c>CourseTokenizer.VocabSize</c>); the probe draws ids from 256 up to it.</param>
    /// <param name="endOfText">If given, every sequence starts with this id, as a document does in training.</param>
    /// <param name="sequences">How many random sequences (one batch).</param>
    /// <param name="length">Tokens per copy; the model sees 2 x length (+1) tokens, which must fit its context.</param>
    /// <param name="seed">Seeds the random tokens: the same seed probes every model with the same sequences.</param>
    public static InductionResult Measure(Gpt model, int ordinaryTokens, int? endOfText = null,
        int sequences = 50, int length = 24, long seed = 1)
    {
        if (ordinaryTokens <= FirstOrdinaryId + 1 || ordinaryTokens > model.Config.VocabSize)
            throw new ArgumentOutOfRangeException(nameof(ordinaryTokens), ordinaryTokens,
                $"Ordinary tokens must end between {FirstOrdinaryId + 2} and the model's vocabulary ({model.Config.VocabSize}).");
        if (sequences < 1) throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "Probe at least one sequence.");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "Each copy needs at least 2 tokens.");
        var prefix = endOfText is null ? 0 : 1;
        if (prefix + 2 * length > model.Config.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"{prefix + 2 * length} tokens (two copies of {length}) do not fit the model's context of {model.Config.ContextLength}.");

        var random = new Random((int)seed);
        var ids = new long[sequences, prefix + 2 * length];
        for (var s = 0; s < sequences; s++)
        {
            if (endOfText is { } eot) ids[s, 0] = eot;
            for (var i = 0; i < length; i++)
                ids[s, prefix + i] = ids[s, prefix + length + i] = random.Next(FirstOrdinaryId, ordinaryTokens);
        }

        return model.Evaluating(() =>
        {
            using var scope = NewDisposeScope();
            var tokens = tensor(ids);
            var logits = model.forward(tokens);   // one forward of [sequences, prefix + 2 x length]
            return FromLogits(logits, tokens, prefix, length, ordinaryTokens - FirstOrdinaryId);
        });
    }

    /// <summary>
    /// The arithmetic of the probe, given the model's logits [sequences, prefix + 2·length, vocab] for
    /// <paramref name="tokens"/> [sequences, prefix + 2·length]: the logits at position p predict token p + 1.
    /// </summary>
    public static InductionResult FromLogits(Tensor logits, Tensor tokens, int prefix, int length, int choices)
    {
        using var scope = NewDisposeScope();
        // Loss and correctness of every predicted token: position p's logits against token p + 1.
        var predicted = logits[.., ..^1];                                               // [N, T - 1, V]
        var targets = tokens[.., 1..];                                                  // [N, T - 1]
        var loss = nn.functional.cross_entropy(predicted.permute(0, 2, 1), targets, reduction: nn.Reduction.None);
        var right = predicted.argmax(-1).eq(targets).to(ScalarType.Float64);

        // Per-token means over the sequences; index t - 1 is token t of the whole window.
        var tokenLoss = loss.to(ScalarType.Float64).mean([0L]).data<double>().ToArray();
        var tokenRight = right.mean([0L]).data<double>().ToArray();

        // Token i of the repeated part sits at window index prefix + i, predicted at index prefix + i - 1.
        double Loss(int i) => prefix + i == 0 ? double.NaN : tokenLoss[prefix + i - 1];
        var perPosition = Enumerable.Range(0, 2 * length).Select(Loss).ToArray();
        // Each copy's first token is left out of the copy's means: the first copy's because nothing may
        // precede it, the second's because nothing says the sequence is about to repeat.
        var first = Enumerable.Range(1, length - 1).Average(Loss);
        var second = Enumerable.Range(length + 1, length - 1).Average(Loss);
        var score = Enumerable.Range(length + 1, length - 1).Average(i => tokenRight[prefix + i - 1]);
        return new InductionResult(score, first, second, perPosition, 1.0 / choices);
    }

    /// <summary>
    /// The loss at every token of the repeated random sequence, one line per model: high on the first copy for any
    /// model (nothing predicts random tokens), and on the second copy near 0 for a model that copies from its context.
    /// </summary>
    public static Figure Chart(params (string Model, InductionResult Result)[] models)
    {
        var figure = new Figure("A random sequence, then the same again: the loss at each token");
        foreach (var (model, result) in models)
        {
            var positions = Enumerable.Range(1, result.PerPositionLoss.Length).ToList();
            // Token 1 of the first copy has no loss when nothing precedes it; leave it out rather than plot NaN.
            var points = positions.Zip(result.PerPositionLoss).Where(p => !double.IsNaN(p.Second)).ToList();
            figure.Line(points.Select(p => p.First), points.Select(p => Math.Round(p.Second, 3)),
                $"{model} (second copy {result.Score:P0} right)", markers: true);
        }
        var length = models.Length == 0 ? 0 : models[0].Result.Length;
        return figure.XAxis($"token of the sequence (1–{length}: first copy, {length + 1}–{2 * length}: the same tokens again)")
            .YAxis("loss (nats): −ln P(the right token)").Height(340);
    }

    /// <summary>
    /// How copying formed during a run: the induction score at every evaluation step, from the model card of a run
    /// that tracked it (`llmcourse train base`). Olsson et al. (2022) found it appears suddenly, in a phase change.
    /// </summary>
    public static Figure Emergence(ModelCard card)
    {
        var points = card.Curve?.Where(p => p.Induction is not null).ToList() ?? [];
        if (points.Count == 0)
            throw new InvalidOperationException($"The model card of '{card.Model}' has no induction scores: its run did not track them.");
        return new Figure($"Copying from the context, as the {card.Model} model trained")
            .Line(points.Select(p => Math.Round(p.Tokens / 1e6, 2)), points.Select(p => Math.Round(100 * p.Induction!.Value, 1)),
                "second copy of a random sequence predicted (%)", markers: true)
            .Line(points.Select(p => Math.Round(p.Tokens / 1e6, 2)), points.Select(p => Math.Round(10 * p.HeldOutLoss!.Value, 1)),
                "held-out loss × 10 (nats)", dash: "dot")
            .XAxis("tokens trained on (millions)").YAxis("%  /  loss × 10").Height(340);
    }
}
