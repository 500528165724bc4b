using CsCheck;
using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

public class BpeTrainingTests
{
    [Fact]
    public void Wikipedia_example_with_three_merges_encodes_to_XdXac()
    {
        var tokenizer = BpeTokenizer.Train("aaabdaaabac", 256 + 3, SplitPatterns.None);

        // aa -> 256; then "aa"+"a" and "a"+"b" are tied at 2 and "aa"+"a" comes first; then "aaa"+"b".
        Assert.Equal([new Merge('a', 'a', 256, 4), new Merge(256, 'a', 257, 2), new Merge(257, 'b', 258, 2)], tokenizer.Merges);
        Assert.Equal([258, 100, 258, 97, 99], tokenizer.Encode("aaabdaaabac"));
        Assert.Equal("aaabdaaabac", tokenizer.Decode([258, 100, 258, 97, 99]));
    }

    [Fact]
    public void Ties_go_to_the_pair_seen_first_in_the_text()
    {
        // Every pair occurs once: a rule that took the smallest ids would merge "w"+"x" first.
        var tokenizer = BpeTokenizer.Train("zyxw", 256 + 3, SplitPatterns.None);
        Assert.Equal(["step 0: 'z' + 'y' -> 256 ('zy', seen 1 times)", "step 1: 'zy' + 'x' -> 257 ('zyx', seen 1 times)",
                      "step 2: 'zyx' + 'w' -> 258 ('zyxw', seen 1 times)"], tokenizer.Merges.Select(tokenizer.Describe));
    }

    [Fact]
    public void Ties_across_chunks_go_to_the_chunk_seen_first()
    {
        // Split into " cd", " ab", " cd", " ab": " c"/"cd" and " a"/"ab" all occur twice; " cd" comes first.
        var tokenizer = BpeTokenizer.Train(" cd ab cd ab", 256 + 2, SplitPatterns.Gpt4);
        Assert.Equal([new Merge(' ', 'c', 256, 2), new Merge(256, 'd', 257, 2)], tokenizer.Merges);
    }

    [Fact]
    public void Fast_trainer_learns_the_same_merges_as_the_textbook_loop_on_texts_full_of_ties()
    {
        // Small alphabets give many equal counts, overlapping pairs ("aaa") and repeated chunks.
        var text = Gen.OneOf(Gen.Const("a"), Gen.Const("b"), Gen.Const("ab"), Gen.Const(" "), Gen.Const("é"), Gen.Const("\n"), Gen.Const("1"), Gen.Const("!"))
            .Array[0, 60].Select(parts => string.Concat(parts));
        Gen.Select(text, Gen.Int[0, 40], Gen.OneOf(Gen.Const(SplitPatterns.None), Gen.Const(SplitPatterns.Gpt4))).Sample((t, merges, pattern) =>
        {
            var expected = NaiveBpe.Train(t, merges, pattern).Select(s => s.Merge).ToList();
            var actual = BpeTrainer.Train(t, merges, pattern);
            Assert.Equal(expected, actual);
        }, iter: 300);
    }

    [Fact]
    public void Fast_trainer_matches_the_textbook_loop_on_real_text()
    {
        var text = SampleTexts.Multilingual;
        var expected = NaiveBpe.Train(text, 120, SplitPatterns.Gpt4).Select(s => s.Merge).ToList();
        Assert.Equal(expected, BpeTrainer.Train(text, 120, SplitPatterns.Gpt4));
    }

    [Theory]
    [InlineData(SplitPatterns.Gpt4)]
    [InlineData(SplitPatterns.Gpt4o)]
    [InlineData(SplitPatterns.Gpt2)]
    public void Counting_chunks_in_parallel_gives_what_one_pass_gives(string pattern)
    {
        // Over 1 MB the text is split on letter-then-newline boundaries and counted on all cores.
        var text = SyntheticText.Generate(1_200_000, seed: 3) + "\n  tail\r\n\n";
        var expected = new List<(string, int)>();
        var seen = new Dictionary<string, int>();
        foreach (var chunk in SplitPatterns.Split(text, pattern))
        {
            if (seen.TryGetValue(chunk, out var i)) expected[i] = (chunk, expected[i].Item2 + 1);
            else { seen[chunk] = expected.Count; expected.Add((chunk, 1)); }
        }
        var actual = BpeTrainer.CountChunks(text, pattern).Select(c => (System.Text.Encoding.UTF8.GetString(c.Bytes), c.Count)).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Merge_history_replays_the_shrinking_sequence()
    {
        var steps = NaiveBpe.Train("aaabdaaabac", 3);
        Assert.Equal([9, 7, 5], steps.Select(s => s.TokenCount));
        Assert.Equal([258, 100, 258, 97, 99], steps[^1].Chunks.Single());
    }

    [Fact]
    public void Replay_by_hand_shows_each_merge_and_the_shorter_sequence()
    {
        var rows = NaiveBpe.Replay("aaabdaaabac", 3);
        Assert.Equal(["a|a|a|b|d|a|a|a|b|a|c", "aa|a|b|d|aa|a|b|a|c", "aaa|b|d|aaa|b|a|c", "aaab|d|aaab|a|c"], rows.Select(r => r.Tokens));
        Assert.Equal([11, 9, 7, 5], rows.Select(r => r.Length));
        Assert.Equal("aa + a -> 257 (seen 2x)", rows[2].Merge);
    }

    [Fact]
    public void A_smaller_vocabulary_is_a_prefix_of_the_merges()
    {
        var small = TestTokenizers.Trained.WithVocabSize(300);
        Assert.Equal(TestTokenizers.Trained.Merges.Take(44), small.Merges);
        Assert.True(small.Encode(SampleTexts.English).Count > TestTokenizers.Trained.Encode(SampleTexts.English).Count);
    }

    [Fact]
    public void Training_stops_early_when_no_pair_is_left()
    {
        var tokenizer = BpeTokenizer.Train("ab", 300, SplitPatterns.None);
        Assert.Single(tokenizer.Merges);
        Assert.Equal(257, tokenizer.VocabSize);
    }

    [Fact]
    public void Split_pattern_keeps_merges_inside_chunks()
    {
        // Without a split, "o w" would become a token; with the GPT-4 pattern, words never fuse with the next word.
        var tokenizer = BpeTokenizer.Train(string.Concat(Enumerable.Repeat("hello world ", 50)), 256 + 30, SplitPatterns.Gpt4);
        Assert.All(tokenizer.Merges, m => Assert.DoesNotContain("o w", System.Text.Encoding.UTF8.GetString(tokenizer.TokenBytes(m.Id))));
        Assert.Equal(["hello", " world", " "], tokenizer.Encode("hello world ").Select(id => System.Text.Encoding.UTF8.GetString(tokenizer.TokenBytes(id))));
    }
}
