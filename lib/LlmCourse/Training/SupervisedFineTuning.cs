using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tasks;

namespace LlmCourse.Training;

/// <summary>
/// The recipe of the course's assistant (part 4): the shipped base model, its vocabulary extended with the chat
/// tokens, fine-tuned on <see cref="AssistantData"/> with the loss on the assistant's tokens only.
/// `llmcourse train sft` runs it; notebooks load the result with <see cref="LoadShipped"/>.
/// </summary>
public static class SupervisedFineTuning
{
    public const string RelativePath = "models/assistant.ckpt";
    public const string DatasetRelativePath = "sft/conversations.jsonl";
    public const string HeldOutRelativePath = "sft/held-out.jsonl";

    /// <summary>A lower learning rate than pre-training's, and far fewer steps: SFT adjusts a model, it does not build one.</summary>
    public static TrainingConfig Training { get; } = new(Steps: 600, BatchSize: 16, LearningRate: 5e-4, MinLearningRate: 5e-5,
        WarmupSteps: 30, EvalInterval: 100, EvalBatches: 4, Seed: 4);

    /// <summary>The SFT conversations (seeded: the same every time).</summary>
    public static IReadOnlyList<Conversation> Dataset() => AssistantData.Build(FactSplit.Shipped);

    /// <summary>
    /// Conversations about what SFT never shows: the held-out facts and held-out word problems, answered the way the
    /// labelling guide asks. Their loss is the held-out loss of the run.
    /// </summary>
    public static IReadOnlyList<Conversation> HeldOutConversations()
    {
        var rng = Rng.For(5, 5);
        return FactSplit.Shipped.HeldOut.Select(f => new Conversation("held-out fact", Message.User(AssistantData.Question(f.Fact, rng)), Message.Assistant(AssistantData.Answer(f.Fact))))
            .Concat(WordProblems.HeldOut().Select(p => new Conversation($"held-out problem: {p.Family}", Message.User(p.Question), Message.Assistant(p.WorkedReply))))
            .ToList();
    }

    /// <summary>Conversations rendered and packed into training rows for a model of <paramref name="contextLength"/> tokens.</summary>
    public static ConversationBatches Batches(IEnumerable<Conversation> conversations, ChatTemplate template, int contextLength) =>
        new(conversations.Select(template.Render), contextLength, template.EndOfTextId);

    /// <summary>The base model with room for the chat tokens: where fine-tuning starts.</summary>
    public static Gpt StartingModel(ChatTemplate template) =>
        ChatModel.ExtendVocabulary(BaseModel.LoadShipped().Model, template.Tokenizer.VocabSize);

    /// <summary>
    /// Fine-tunes the shipped base model into the assistant and writes it to <paramref name="output"/> (plus its model
    /// card); resumes an interrupted run. Returns the model (the caller disposes it).
    /// </summary>
    public static Gpt Run(string output, TrainingConfig? training = null, Action<TrainingMetrics>? progress = null, CancellationToken cancellation = default)
    {
        var template = ChatTemplate.Course;
        training ??= Training;
        var context = BaseModel.Config(CourseTokenizer()).ContextLength;
        var train = Batches(Dataset(), template, context);
        var heldOut = Batches(HeldOutConversations(), template, context);
        var config = BaseModel.Config(CourseTokenizer()) with { VocabSize = template.Tokenizer.VocabSize };
        return TrainingRun.Run(config, () => StartingModel(template), train, heldOut, training, output, TokenizerIdentity.Of(template.Tokenizer),
            new RunDescription("assistant", "./llmcourse train sft", BaseModel.RelativePath, (double)train.TrainedTokens / train.Rows * training.BatchSize),
            saveEvery: 200, progress, cancellation, halfPrecision: true);
    }

    /// <summary>
    /// Fine-tunes a chat checkpoint further on other conversations (part 5's honest and tool-using assistants start
    /// from the shipped assistant), with the same resumable run and model card.
    /// </summary>
    public static Gpt Continue(string fromCheckpoint, IReadOnlyList<Conversation> conversations, IReadOnlyList<Conversation> heldOut,
        TrainingConfig training, string output, RunDescription description, Action<TrainingMetrics>? progress = null, CancellationToken cancellation = default)
    {
        var template = ChatTemplate.Course;
        var start = Checkpoint.Read(fromCheckpoint);
        start.CheckTokenizer(template.Tokenizer);
        var train = Batches(conversations, template, start.Config.ContextLength);
        var validation = Batches(heldOut, template, start.Config.ContextLength);
        return TrainingRun.Run(start.Config, () => Checkpoint.Load(fromCheckpoint, template.Tokenizer), train, validation, training, output,
            TokenizerIdentity.Of(template.Tokenizer), description with { TrainedTokensPerStep = (double)train.TrainedTokens / train.Rows * training.BatchSize },
            saveEvery: 200, progress, cancellation, halfPrecision: true);
    }

    static Tokenization.BpeTokenizer CourseTokenizer() => Tokenization.CourseTokenizer.LoadShipped();

    /// <summary>The shipped assistant (data/models/assistant.ckpt) with the chat template.</summary>
    public static ChatAssistant LoadShipped() => Load(CourseData.PathOf(RelativePath));

    /// <summary>A chat checkpoint with the course's chat template (checked: it must have been trained with it).</summary>
    public static ChatAssistant Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The chat model {path} is missing: `./llmcourse train sft` builds the course assistant.", path);
        var template = ChatTemplate.Course;
        return new ChatAssistant(LanguageModel.Load(path, template.Tokenizer), template);
    }
}
