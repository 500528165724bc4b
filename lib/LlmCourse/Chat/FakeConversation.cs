using LlmCourse.Generation;

namespace LlmCourse.Chat;

/// <summary>What a base model wrote after "Assistant:", and whether it handed the turn back by itself.</summary>
/// <param name="Question">The user's question.</param>
/// <param name="Reply">The text up to where the model started a new "User:" line or ended the document (or ran out of tokens).</param>
/// <param name="EndedTurn">True when the model handed the turn back the way the transcript does: by writing the next "User:" line.
/// Ending the whole document (&lt;|endoftext|&gt;) or running out of tokens does not count.</param>
public sealed record FakeReply(string Question, string Reply, bool EndedTurn);

/// <summary>
/// A base model made to look like an assistant without any fine-tuning: the prompt is the start of a
/// conversation transcript, and whatever the model writes after the last "Assistant:" is taken as the
/// reply. The talk shows this trick on a large base model. It is the baseline that part 4's supervised
/// fine-tuning is measured against: a base model has only seen documents, so whether it answers, and
/// whether it stops, is left to chance.
/// </summary>
public sealed class FakeConversation(LanguageModel model)
{
    /// <summary>The transcript's opening: a description of the conversation and two example turns.</summary>
    public const string Preamble =
        "The following is a conversation between a curious user and a helpful assistant who answers briefly and correctly.\n\n" +
        "User: What is the capital of France?\nAssistant: The capital of France is Paris.\n" +
        "User: Thank you!\nAssistant: You are welcome.\n";

    public LanguageModel Model { get; } = model;

    /// <summary>The whole prompt for one question.</summary>
    public static string Prompt(string question) => $"{Preamble}User: {question}\nAssistant:";

    /// <summary>The base model's reply to <paramref name="question"/> (greedy unless <paramref name="sampling"/> says otherwise).</summary>
    public FakeReply Reply(string question, int maxTokens = 40, Sampling? sampling = null, int seed = 0)
    {
        var endOfText = Model.Tokenizer is Tokenization.BpeTokenizer bpe && bpe.SpecialTokens.TryGetValue(Training.BaseModel.EndOfText, out var id) ? id : -1;
        var tokens = Model.Stream(Prompt(question), maxTokens, sampling ?? Sampling.Greedy, seed, stopTokens: [endOfText]).ToList();
        var text = string.Concat(tokens.Select(t => t.Text));
        var handBack = text.IndexOf("\nUser:", StringComparison.Ordinal);
        return handBack >= 0
            ? new FakeReply(question, text[..handBack].Trim(), EndedTurn: true)
            : new FakeReply(question, text.Trim(), EndedTurn: false);
    }
}
