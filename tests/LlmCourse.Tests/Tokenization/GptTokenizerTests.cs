using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

public class GptTokenizerTests
{
    [Theory]
    [InlineData("hello world", new[] { 15339, 1917 })]
    [InlineData("hello  world", new[] { 15339, 220, 1917 })]
    [InlineData("The capital of France is Paris.", new[] { 791, 6864, 315, 9822, 374, 12366, 13 })]
    [InlineData("A good wedding toast should be personal, brief, and kind.", new[] { 32, 1695, 13306, 23211, 1288, 387, 4443, 11, 10015, 11, 323, 3169, 13 })]
    [InlineData("Strawberry", new[] { 2645, 675, 15717 })]
    public void Cl100k_gives_the_ids_from_the_talk(string text, int[] ids)
    {
        Assert.Equal(ids, TiktokenEncoding.Cl100kBase.Encode(text));
        Assert.Equal(text, TiktokenEncoding.Cl100kBase.Decode(ids));
    }

    [Fact]
    public void Vocabulary_sizes_come_from_the_tokenizers()
    {
        Assert.Equal(100_277, TiktokenEncoding.Cl100kBase.VocabSize);
        Assert.Equal(200_019, TiktokenEncoding.O200kBase.VocabSize);
        Assert.Equal(" world", System.Text.Encoding.UTF8.GetString(TiktokenEncoding.Cl100kBase.TokenBytes(1917)));
    }

    [Fact]
    public void Our_gpt4_split_pattern_cuts_text_like_the_one_inside_Microsoft_ML_Tokenizers()
    {
        // TiktokenEncoding.Encode runs our pattern; the packaged tokenizer runs its own: same ids.
        var packaged = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("cl100k_base");
        var packaged4o = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base");
        Assert.Equal(packaged.EncodeToIds(SampleTexts.Multilingual), TiktokenEncoding.Cl100kBase.Encode(SampleTexts.Multilingual));
        Assert.Equal(packaged4o.EncodeToIds(SampleTexts.Multilingual), TiktokenEncoding.O200kBase.Encode(SampleTexts.Multilingual));
    }

    [Fact]
    public void Special_tokens_are_plain_text_unless_allowed()
    {
        var cl100k = TiktokenEncoding.Cl100kBase;
        var text = "end<|endoftext|>";
        Assert.DoesNotContain(100257, cl100k.Encode(text));
        Assert.Equal(text, cl100k.Decode(cl100k.Encode(text)));
        Assert.Equal(100257, cl100k.Encode(text, allowSpecial: true)[^1]);
    }
}
