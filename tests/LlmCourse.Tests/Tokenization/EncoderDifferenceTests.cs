using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

/// <summary>
/// Our encoder applies learned merges (pair -> id) in training order, as minbpe does; tiktoken and
/// Microsoft.ML.Tokenizers merge whichever adjacent parts join into the lowest-ranked token. On
/// vocabularies that training produces they agree (TokenizerFileTests checks it on multilingual text;
/// a random search over about a million short strings and small vocabularies found no counterexample).
/// These tests pin down where the two do differ.
/// </summary>
public class EncoderDifferenceTests
{
    [Fact]
    public void Rank_merging_finds_tokens_that_pair_merging_cannot_reach_in_a_hand_made_vocabulary()
    {
        // "abc" learned as "a" + "bc", but "ab" merges first; training never produces this vocabulary
        // (if "ab" came before "bc", every "abc" would have become "ab" + "c" before "abc" was learned).
        var ours = new BpeTokenizer([new Merge('a', 'b', 256), new Merge('b', 'c', 257), new Merge('a', 257, 258)], SplitPatterns.Gpt4);
        var path = TestPaths.TempFile("handmade.tiktoken");
        ours.Save(path);
        var tiktoken = TiktokenEncoding.FromFile(path);

        Assert.Equal([256, 'c'], ours.Encode("abc"));   // "ab" + "c": no learned merge joins them
        Assert.Equal([258], tiktoken.Encode("abc"));     // "ab" + "c" spell token 258, so tiktoken takes it
    }

    [Fact]
    public void A_lone_surrogate_is_encoded_differently()
    {
        // Not valid Unicode text: .NET's UTF-8 encoder (ours) writes U+FFFD; Microsoft.ML.Tokenizers
        // writes the surrogate's own 3 bytes. Both decode it back to something other than the input.
        var path = TestPaths.TempFile("course.tiktoken");
        TestTokenizers.Trained.Save(path);
        var text = "x\uD83D.";
        var ours = TestTokenizers.Trained.Encode(text);
        var theirs = TiktokenEncoding.FromFile(path).Encode(text);
        Assert.NotEqual(ours, theirs);
        Assert.Equal("x\uFFFD.", TestTokenizers.Trained.Decode(ours));
    }
}
