using LlmCourse.Evaluation;
using LlmCourse.Modeling;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Evaluation;

public class InductionTests
{
    [Fact]
    public void AFreshModelCannotCopyAndScoresNearChance()
    {
        using var model = new Gpt(new GptConfig(600, ContextLength: 64, Layers: 2, Heads: 2, Width: 32));
        var result = Induction.Measure(model, ordinaryTokens: 599, endOfText: 599, sequences: 20, length: 16);
        Assert.InRange(result.Score, 0, 0.03);
        Assert.Equal(1.0 / (599 - 256), result.Chance, 1e-12);
        // Near-uniform predictions: about ln(600) on both copies.
        Assert.InRange(result.FirstCopyLoss, Math.Log(600) - 0.2, Math.Log(600) + 0.2);
        Assert.InRange(result.SecondCopyLoss, Math.Log(600) - 0.2, Math.Log(600) + 0.2);
        Assert.Equal(32, result.PerPositionLoss.Length);
        Assert.False(double.IsNaN(result.PerPositionLoss[0]));   // token 0 is predicted from <|endoftext|>
    }

    [Fact]
    public void TheArithmeticOfAHandMadeCase()
    {
        // One sequence, no prefix, copies of length 3: tokens a b c a b c over a 3-token vocabulary.
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[,] { { 0, 1, 2, 0, 1, 2 } });
        // Logits at position p predict token p + 1. All zeros (uniform: loss ln 3, argmax token 0) except where
        // set: position 3 strongly predicts 1 (right), position 4 strongly predicts 0 (wrong; the truth is 2).
        var logits = zeros(1, 6, 3);
        logits[0, 3, 1] = tensor(10f);
        logits[0, 4, 0] = tensor(10f);
        var result = Induction.FromLogits(logits, tokens, prefix: 0, length: 3, choices: 3);

        var sure = Math.Log(1 + 2 * Math.Exp(-10));   // loss of a right confident guess
        var wrong = 10 + sure;                        // loss of the truth when another token got +10
        var uniform = Math.Log(3);
        // Second copy, tokens 4 and 5 (the copy's first is left out): predicted at positions 3 (right) and 4 (wrong).
        Assert.Equal(0.5, result.Score, 1e-12);
        Assert.Equal((sure + wrong) / 2, result.SecondCopyLoss, 1e-5);
        // First copy, tokens 1 and 2: uniform.
        Assert.Equal(uniform, result.FirstCopyLoss, 1e-5);
        Assert.True(double.IsNaN(result.PerPositionLoss[0]));
        var expected = new[] { uniform, uniform, uniform, uniform, sure, wrong };
        for (var t = 1; t < 6; t++) Assert.Equal(expected[t], result.PerPositionLoss[t], 1e-5);
        // Token 3 is predicted at position 2 from uniform logits: argmax 0, which happens to be right, but
        // it is the copy's first token and stays out of the score.
    }
}
