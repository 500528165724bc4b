using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class LanguageIdentifierTests
{
    readonly LanguageIdentifier id = LanguageIdentifier.Default;

    [Theory]
    [InlineData("en", "The capital of France is Paris. It appears in this toy document as ordinary web text, exactly the kind of sentence a crawler might collect.")]
    [InlineData("fr", "Nous sommes partis tôt le matin pour éviter les embouteillages, et le village était calme.")]
    [InlineData("de", "Wir sind früh am Morgen losgefahren, um dem Verkehr zu entgehen, und das Dorf war ruhig.")]
    [InlineData("es", "Salimos temprano por la mañana para evitar el tráfico, y el pueblo era tranquilo.")]
    public void Names_the_language_of_unseen_sentences_confidently(string lang, string text)
    {
        var g = id.Identify(text);
        Assert.Equal(lang, g.Language);
        Assert.True(g.Score > 0.65, $"{lang} scored {g.Score:0.00}");
        Assert.Equal(1.0, g.Scores.Values.Sum(), 6);
    }

    [Fact]
    public void A_half_english_half_french_page_is_not_confidently_english()
    {
        var text = "I did not expect this small change to make such a difference. My partner laughed at first, but after a week even they were convinced. " +
                   "Nous sommes partis tôt le matin pour éviter les embouteillages. Le village était calme et les habitants très accueillants.";
        var g = id.Identify(text);
        Assert.True(g.Language != "en" || g.Score <= 0.65, $"mixed page scored {g}");
        var pure = id.Identify("I did not expect this small change to make such a difference. My partner laughed at first, but after a week even they were convinced.");
        Assert.True(pure.Score > g.Scores["en"] + 0.2);
    }

    [Fact]
    public void Text_without_letters_is_unknown_with_zero_confidence()
    {
        var g = id.Identify("12345 !!! ... 678");
        Assert.Equal("unknown", g.Language);
        Assert.Equal(0, g.Score);
    }

    [Fact]
    public void Trains_on_the_samples_shipped_in_data()
    {
        var fromFolder = LanguageIdentifier.FromFolder(TestPaths.InRepository("data", "langid"));
        Assert.Equal(fromFolder.Languages, id.Languages);
        Assert.Contains("en", id.Languages);
        Assert.Contains("fr", id.Languages);
        Assert.Contains("de", id.Languages);
        Assert.Contains("es", id.Languages);
        var text = "Public transport was cheap, clean and surprisingly easy to understand.";
        Assert.Equal(fromFolder.Identify(text).Score, id.Identify(text).Score, 12);
    }
}
