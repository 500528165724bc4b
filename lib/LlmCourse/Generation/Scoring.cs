using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Generation;

/// <summary>
/// How likely the model finds a given continuation: for each of its tokens, the probability the model gives
/// it after everything before it (temperature 1, whatever sampling produced the text). One forward pass.
/// </summary>
public static class Scoring
{
    /// <summary>ln P(token) for each token of <paramref name="continuation"/> after <paramref name="context"/>.</summary>
    public static double[] LogProbabilities(Gpt model, IReadOnlyList<int> context, IReadOnlyList<int> continuation)
    {
        if (context.Count == 0) throw new ArgumentException("The context must hold at least one token.", nameof(context));
        if (continuation.Count == 0) return [];
        if (context.Count + continuation.Count > model.Config.ContextLength + 1)
            throw new ArgumentException($"{context.Count} + {continuation.Count} tokens do not fit the model's context of {model.Config.ContextLength}.");
        var all = context.Concat(continuation).ToList();
        return model.Evaluating(() =>
        {
            using var scope = NewDisposeScope();
            // Position i predicts token i + 1: the inputs are all tokens but the last.
            using var input = tensor(model.Ids(all.GetRange(0, all.Count - 1)), [1, all.Count - 1]);
            var logProbs = model.forward(input).log_softmax(-1)[0];                      // [T-1, V]
            var targets = tensor(continuation.Select(t => (long)t).ToArray());
            var start = context.Count - 1;
            var picked = logProbs[start.., ..].gather(1, targets.unsqueeze(1)).squeeze(1); // [continuation]
            return picked.to(ScalarType.Float64).data<double>().ToArray();
        });
    }
}
