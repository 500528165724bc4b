using LlmCourse.Chat;
using LlmCourse.Modeling;
using LlmCourse.Tests.Support;
using LlmCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Chat;

/// <summary>SFT's machinery: the extended vocabulary, packed batches whose targets follow the loss mask, and the guard against empty masks.</summary>
public class FineTuningTests
{
    [Fact]
    public void TheExtendedModelRanksOrdinaryTokensExactlyAsTheBaseModelDid()
    {
        using var baseModel = new Gpt(Tiny.Config(vocab: 29), seed: 3);
        using var extended = ChatModel.ExtendVocabulary(baseModel, 36);
        var context = CharTokenizer.Lowercase.Encode("the cat sat on").ToArray();

        var before = Softmax(baseModel.NextTokenLogits(context));
        var after = Softmax(extended.NextTokenLogits(context));

        // Renormalised over the 29 old tokens, the new model's map is the old one: the chat tokens only add options.
        var oldShare = after.Take(29).Sum();
        for (var i = 0; i < 29; i++) Assert.Equal(before[i], after[i] / oldShare, 5);
        // And the new rows start as the average token, not as noise.
        using var _ = no_grad();
        var meanRow = baseModel.TokenEmbedding.mean([0]);
        Assert.True((extended.TokenEmbedding[35] - meanRow).abs().max().item<float>() < 1e-6);
    }

    static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    [Fact]
    public void TargetsAreIgnoredWhereTheMaskIsOff()
    {
        var template = ChatTemplate.Course;
        var conversation = template.Render(new Conversation("seed", Message.User("Why is the sky blue?"), Message.Assistant("Because of Rayleigh scattering.")));
        var batches = new ConversationBatches([conversation], contextLength: 64, padId: template.EndOfTextId);

        var (input, target) = batches.Batch(batchSize: 1, seed: 1, index: 0);
        var inputs = input.data<long>().ToArray();
        var targets = target.data<long>().ToArray();

        // Position t predicts token t+1, and is learned exactly when token t+1 is the assistant's.
        for (var t = 0; t < 64; t++)
        {
            var next = t + 1 < conversation.Tokens.Count ? conversation.Tokens[t + 1] : template.EndOfTextId;
            var learned = t + 1 < conversation.Tokens.Count && conversation.Trained[t + 1];
            Assert.Equal(learned ? next : ConversationBatches.Ignore, targets[t]);
        }
        Assert.Equal(conversation.Tokens.Take(64).Select(t => (long)t), inputs.Take(Math.Min(64, conversation.Tokens.Count)));
        Assert.Equal(conversation.TrainedCount, targets.Count(t => t != ConversationBatches.Ignore));
    }

    [Fact]
    public void ConversationsArePackedWholeAndNeverSplit()
    {
        var template = ChatTemplate.Course;
        var rendered = LlmCourse.Tasks.AssistantData.SeedConversations.Select(template.Render).ToList();
        var batches = new ConversationBatches(rendered, contextLength: 100, padId: template.EndOfTextId);

        var starts = Enumerable.Range(0, batches.Rows).Sum(r => batches.Row(r).Tokens.Count(t => t == template.UserId));
        Assert.Equal(rendered.Sum(c => c.Tokens.Count(t => t == template.UserId)), starts);
        Assert.All(Enumerable.Range(0, batches.Rows), r => Assert.Equal(template.EndOfTextId, batches.Row(r).Tokens[0]));
    }

    [Fact]
    public void ABatchWithNothingToLearnIsRefusedInsteadOfGivingNaN()
    {
        var template = ChatTemplate.Course;
        var silent = new RenderedConversation([template.EndOfTextId, template.UserId, 65, template.EndId], [false, false, false, false], template);
        var batches = new ConversationBatches([silent], contextLength: 8, padId: template.EndOfTextId);
        var e = Assert.Throws<InvalidOperationException>(() => batches.Batch(2, seed: 1, index: 0));
        Assert.Contains("mask is all zero", e.Message);
    }

    [Fact]
    public void AConversationLongerThanTheContextIsNamed()
    {
        var template = ChatTemplate.Course;
        var longOne = template.Render(new Conversation("long", Message.User(string.Join(" ", Enumerable.Repeat("word", 80))), Message.Assistant("Ok.")));
        var e = Assert.Throws<ArgumentException>(() => new ConversationBatches([longOne], contextLength: 32, padId: template.EndOfTextId));
        Assert.Contains("Conversation 1", e.Message);
    }

    [Fact]
    public void TheMaskedLossIsTheMeanOverTrainedTokensOnly()
    {
        // The library's loss (cross-entropy with ignored targets) equals the masked mean written out.
        using var model = new Gpt(Tiny.Config(vocab: 29), seed: 5);
        var input = torch.tensor(new long[] { 1, 2, 3, 4, 5, 6 }).view(1, 6);
        var target = torch.tensor(new long[] { 2, -100, 4, -100, -100, 7 }).view(1, 6);
        var logits = model.forward(input).view(-1, 29);
        var perToken = torch.nn.functional.cross_entropy(logits, target.view(-1).clamp_min(0), reduction: nn.Reduction.None);
        var mask = target.view(-1).ne(-100).to(ScalarType.Float32);
        var byHand = (perToken * mask).sum() / mask.sum();
        Assert.Equal(byHand.item<float>(), model.Loss(input, target).item<float>(), 5);
    }
}
