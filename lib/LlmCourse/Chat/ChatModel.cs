using LlmCourse.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Chat;

/// <summary>Turning the base model into one that can read and write the chat tokens, before any fine-tuning.</summary>
public static class ChatModel
{
    /// <summary>
    /// A copy of <paramref name="baseModel"/> whose vocabulary has room for <paramref name="vocabSize"/> ids. Every
    /// weight is copied; each new token's embedding row starts as the mean of the existing rows — an "average
    /// token" that does not stand out in the model's input, and whose output score is the average score. The old
    /// tokens' scores are untouched, so on ordinary text the extended model ranks them exactly as the base model did.
    /// </summary>
    public static Gpt ExtendVocabulary(Gpt baseModel, int vocabSize)
    {
        var old = baseModel.Config.VocabSize;
        if (vocabSize < old) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"The base model already reads {old} ids; the vocabulary can only grow.");
        var model = new Gpt(baseModel.Config with { VocabSize = vocabSize });
        var source = baseModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            var from = source[name];
            if (from.shape.SequenceEqual(p.shape)) { p.copy_(from); continue; }
            // The token embedding (also the output head, through weight tying): old rows as they were, new rows the mean.
            p[..old].copy_(from);
            p[old..].copy_(from.mean([0], keepdim: true).expand(vocabSize - old, -1));
        }
        return model;
    }
}
