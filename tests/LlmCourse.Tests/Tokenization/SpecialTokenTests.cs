using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

public class SpecialTokenTests
{
    static readonly BpeTokenizer Tokenizer = TestTokenizers.Trained.WithSpecialTokens("<|endoftext|>", "<|user|>");

    [Fact]
    public void Special_tokens_get_the_ids_after_the_vocabulary()
    {
        Assert.Equal(1024, Tokenizer.SpecialTokens["<|endoftext|>"]);
        Assert.Equal(1025, Tokenizer.SpecialTokens["<|user|>"]);
        Assert.Equal(1026, Tokenizer.VocabSize);
    }

    [Fact]
    public void A_special_token_in_text_is_ordinary_text_unless_allowed()
    {
        var text = "Hi<|user|> there<|endoftext|>";
        var plain = Tokenizer.Encode(text);
        Assert.DoesNotContain(1024, plain);
        Assert.DoesNotContain(1025, plain);
        Assert.Equal(TestTokenizers.Trained.Encode(text), plain);

        var allowed = Tokenizer.Encode(text, allowSpecial: true);
        Assert.Equal([.. Tokenizer.Encode("Hi"), 1025, .. Tokenizer.Encode(" there"), 1024], allowed);
        Assert.Equal(text, Tokenizer.Decode(allowed));
    }

    [Fact]
    public void An_unregistered_name_stays_text_even_when_specials_are_allowed()
    {
        var ids = Tokenizer.Encode("<|assistant|>", allowSpecial: true);
        Assert.All(ids, id => Assert.True(id < 1024));
    }
}
