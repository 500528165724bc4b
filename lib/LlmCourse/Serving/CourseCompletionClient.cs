using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Tokenization;

namespace LlmCourse.Serving;

/// <summary>
/// A base model behind OpenAI's plain completions (<c>POST /v1/completions</c>): text in, its continuation out, no chat
/// template. A base model has no turns to take — it continues documents like the ones it was trained on — so this is
/// the honest way to offer it: "The capital of France is" and it writes on. It stops at &lt;|endoftext|&gt; (the end of
/// a document), a stop sequence, the token limit, or the end of its context.
/// </summary>
/// <remarks>
/// The same options as chat (<see cref="OptionsMapping"/>, so the same defaults: greedy, seed 0) and the same gate: one
/// reply at a time per model.
/// </remarks>
public sealed class CourseCompletionClient
{
    /// <param name="model">The base model and its tokenizer.</param>
    /// <param name="modelId">The name it answers to, e.g. "base".</param>
    public CourseCompletionClient(LanguageModel model, string modelId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        Model = model;
        ModelId = modelId;
        EndOfTextId = model.Tokenizer is BpeTokenizer bpe && bpe.SpecialTokens.TryGetValue(CourseTokenizer.EndOfText, out var id) ? id : null;
    }

    public LanguageModel Model { get; }
    public string ModelId { get; }
    public int ContextLength => Model.Model.Config.ContextLength;

    /// <summary>The token that ends a document, where the model stops writing (null if its tokenizer has none).</summary>
    public int? EndOfTextId { get; }

    /// <summary>The prompt as the model reads it.</summary>
    public IReadOnlyList<int> PromptTokens(string prompt) => Model.Tokenizer.Encode(prompt);

    /// <summary>
    /// The continuation of <paramref name="prompt"/> as events — <see cref="TextPiece"/>s and a last <see cref="ReplyFinished"/>
    /// (<see cref="ReplyEnd.EndOfTurn"/> when the model ended the document) — generated while the request holds the model.
    /// </summary>
    public IAsyncEnumerable<ReplyEvent> StreamAsync(string prompt, ReplySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = PromptTokens(prompt);
        if (ids.Count == 0) throw new ChatRequestException("prompt is empty: give the model some text to continue.", "prompt", "invalid_value");
        if (ids.Count >= ContextLength)
            throw new ChatRequestException(
                $"The prompt is {ids.Count} tokens long; the model reads at most {ContextLength}, and needs room to write. Shorten the prompt.",
                "prompt", "context_length_exceeded");
        return ModelGate.Stream(Model.Model, stop => Events(ids, settings.Reply, stop), cancellationToken);
    }

    IEnumerable<ReplyEvent> Events(IReadOnlyList<int> prompt, ReplyOptions options, CancellationToken cancellation)
    {
        var room = Math.Min(options.MaxTokens, ContextLength - prompt.Count);
        var stops = new ChatAssistant.StopSequenceFilter(options.StopSequences ?? []);
        var written = 0;
        var end = ReplyEnd.EndOfTurn;
        foreach (var token in Model.Stream(prompt, room, options.Sampling ?? Sampling.Greedy, options.Seed,
                     EndOfTextId is { } eot ? [eot] : null, options.Alternatives))
        {
            cancellation.ThrowIfCancellationRequested();
            written++;
            foreach (var e in stops.Add(token)) yield return e;
            if (stops.Stopped) { end = ReplyEnd.StopSequence; break; }
        }
        if (end != ReplyEnd.StopSequence && written == room)
            end = written >= options.MaxTokens ? ReplyEnd.MaxTokens : ReplyEnd.ContextFull;
        foreach (var e in stops.Flush()) yield return e;
        yield return new ReplyFinished(end, prompt.Count, written);
    }
}
