using LlmCourse.Modeling;

namespace LlmCourse.Tests.Support;

/// <summary>Small shapes and data that keep the model tests fast on a 2-core CI box.</summary>
public static class Tiny
{
    /// <summary>2 layers, 2 heads, 32 wide, context 16, 29-token vocabulary: ~27K parameters.</summary>
    public static GptConfig Config(int vocab = 29, int context = 16) =>
        new(vocab, ContextLength: context, Layers: 2, Heads: 2, Width: 32);

    /// <summary>A text with plenty of repetition, so a tiny model learns it in a few dozen steps.</summary>
    public const string Text =
        "the cat sat on the mat. the dog sat on the log. the cat saw the dog. the dog saw the cat.\n";

    public static int[] Tokens(int repeats = 40) =>
        CharTokenizer.Lowercase.Encode(string.Concat(Enumerable.Repeat(Text, repeats))).ToArray();
}
