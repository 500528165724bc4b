using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tokenization;
using LlmCourse.Tools;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Serving;

/// <summary>
/// Chat models small enough for tests, so nothing here depends on the shipped assistant's checkpoint: a random-weight
/// one (its replies are noise, but deterministic), and one overfit on a few conversations until it answers them
/// word for word — including one where it calls the calculator — so a test can tell a right answer from a wrong one.
/// </summary>
public static class TinyChat
{
    public const string ColourQuestion = "Name a colour.";
    public const string ColourAnswer = "Blue is a colour.";
    public const string HelloQuestion = "Say hello.";
    public const string HelloAnswer = "Hello there, my good friend!";
    public const string SumQuestion = "What is 2+3?";
    public const string SumCall = "calculator(2+3)";
    public const string SumAnswer = "2+3 = 5.";

    static ChatTemplate Template => ChatTemplate.Course;

    /// <summary>1 layer, 2 heads, 32 wide: random weights, different for each seed.</summary>
    public static ChatAssistant Random(int seed = 1, int context = 64, ITokenizer? tokenizer = null) =>
        new(new LanguageModel(new Gpt(new GptConfig(Template.Tokenizer.VocabSize, ContextLength: context, Layers: 1, Heads: 2, Width: 32), seed), tokenizer ?? Template.Tokenizer), Template);

    public const string LongQuestion = "Tell me everything.";

    /// <summary>
    /// The first random seed whose model answers <see cref="LongQuestion"/> for all of <paramref name="tokens"/> without ending
    /// its turn (most soon write a chat token), so that a test can stop a reply in progress.
    /// </summary>
    public static int SeedThatKeepsWriting(int tokens = 200, int context = 256) =>
        Enumerable.Range(1, 100).First(seed => Random(seed, context).Reply([Message.User(LongQuestion)], new ReplyOptions(MaxTokens: tokens))
            .OfType<ReplyFinished>().Single().End == ReplyEnd.MaxTokens);

    static readonly Lazy<Gpt> trained = new(() => Train(
    [
        new("colour", Message.User(ColourQuestion), Message.Assistant(ColourAnswer)),
        new("hello", Message.User(HelloQuestion), Message.Assistant(HelloAnswer)),
        new("sum", Message.User(SumQuestion), Message.ToolCall(SumCall), Message.ToolResult("5"), Message.Assistant(SumAnswer)),
    ]));

    public const string MarkupQuestion = "Show me a script tag.";
    public const string MarkupAnswer = "Here: <script>alert(1)</script> and <b>bold</b>.";

    static readonly Lazy<Gpt> markup = new(() => Train([new("markup", Message.User(MarkupQuestion), Message.Assistant(MarkupAnswer))]));

    /// <summary>A model overfit to answer <see cref="MarkupQuestion"/> with HTML, so a page can be shown to print it as text.</summary>
    public static ChatAssistant Markup() => new(new LanguageModel(markup.Value, Template.Tokenizer), Template);

    /// <summary>The overfit model, with the calculator as its tool (trained once per test run, in a few seconds).</summary>
    public static ChatAssistant Trained() =>
        new(new LanguageModel(trained.Value, Template.Tokenizer), Template, call => Calculator.Run(call).Text);

    static readonly ToolBox Calculator = new([new Calculator()]);

    static Gpt Train(Conversation[] conversations)
    {
        var rendered = conversations.Select(Template.Render).ToList();
        var length = rendered.Max(r => r.Tokens.Count);
        var inputs = new long[rendered.Count * length];
        var targets = new long[rendered.Count * length];
        for (var row = 0; row < rendered.Count; row++)
        {
            var r = rendered[row];
            for (var t = 0; t < length; t++)
            {
                inputs[row * length + t] = t < r.Tokens.Count ? r.Tokens[t] : Template.EndOfTextId;
                // Position t learns token t+1 where the template trains it.
                targets[row * length + t] = t + 1 < r.Tokens.Count && r.Trained[t + 1] ? r.Tokens[t + 1] : -100;
            }
        }
        var model = new Gpt(new GptConfig(Template.Tokenizer.VocabSize, ContextLength: 64, Layers: 2, Heads: 2, Width: 64), seed: 7);
        using var x = tensor(inputs, [rendered.Count, length]);
        using var y = tensor(targets, [rendered.Count, length]);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        model.train();
        // One thread: these matrices are too small to share, and on a busy machine libtorch's spinning threads cost far more than they give.
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            for (var step = 0; step < 400; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = model.Loss(x, y);
                loss.backward();
                optimizer.step();
                if (step % 10 == 9 && loss.item<float>() < 0.02f) break;
            }
        }
        finally { set_num_threads(threads); }
        model.eval();
        return model;
    }
}

/// <summary>A tokenizer that counts the tokens a model writes (LanguageModel asks it for each token's bytes) and can act at the n-th.</summary>
public sealed class CountingTokenizer(ITokenizer inner) : ITokenizer
{
    int written;

    /// <summary>Tokens written so far.</summary>
    public int Written => Volatile.Read(ref written);

    /// <summary>Called with the count after each token.</summary>
    public Action<int>? OnToken { get; set; }

    public string Name => inner.Name;
    public int VocabSize => inner.VocabSize;
    public IReadOnlyList<int> Encode(string text) => inner.Encode(text);
    public string Decode(IEnumerable<int> ids) => inner.Decode(ids);

    public byte[] TokenBytes(int id)
    {
        var count = Interlocked.Increment(ref written);
        OnToken?.Invoke(count);
        return inner.TokenBytes(id);
    }
}
