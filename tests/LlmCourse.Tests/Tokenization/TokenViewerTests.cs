using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

public class TokenViewerTests
{
    [Fact]
    public void Viewer_shows_each_token_with_its_id_and_the_counts()
    {
        var view = new TokenViewer("hello  world\n", TiktokenEncoding.Cl100kBase);
        var html = view.ToHtml();
        Assert.Contains(">15339<", html);                 // the id under "hello"
        Assert.Contains("title=\"id 1917", html);         // and on hover
        Assert.Contains("·", html);                       // visible spaces
        Assert.Contains("↵", html);                       // visible newline
        Assert.Contains("4 tokens", html);
        Assert.Contains("100,277 ids", html);
        Assert.Equal(["hello", " ", " world", "\n"], view.Results[0].TokenStrings);
        Assert.Contains("cl100k_base: 4 tokens, 13 chars, 3.25 chars/token", view.ToText());
    }

    [Fact]
    public void Viewer_compares_tokenizers_side_by_side()
    {
        var view = new TokenViewer("The capital of France is Paris.", TiktokenEncoding.Cl100kBase, TiktokenEncoding.O200kBase, BpeTokenizer.Bytes);
        Assert.Equal([7, 7, 31], view.Results.Select(r => r.Tokens));
        var html = view.ToHtml();
        Assert.Contains("cl100k_base", html);
        Assert.Contains("o200k_base", html);
        Assert.Contains("31 tokens", html);
    }

    [Fact]
    public void A_character_split_over_tokens_shows_its_bytes()
    {
        var result = BpeTokenizer.Bytes.Tokenize("é🙂");
        var pieces = result.Pieces().ToList();
        Assert.Equal(["é", "🙂"], pieces.Select(p => p.Text));
        Assert.Equal(["<c3>", "<a9>", "<f0>", "<9f>", "<99>", "<82>"], result.TokenStrings);
        Assert.Equal(2, result.Chars);
        var html = BpeTokenizer.Bytes.View("🙂").ToHtml();
        Assert.Contains("title=\"id 240 &#183; bytes of &#39;", html);
        Assert.Contains("&lt;f0&gt;", html);
    }

    [Fact]
    public void Html_in_the_text_is_escaped()
    {
        var html = TiktokenEncoding.Cl100kBase.View("<script>alert(1)</script>").ToHtml();
        Assert.Contains("&lt;", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public void Comparison_counts_more_tokens_for_other_languages_than_english_with_gpt4()
    {
        var stats = TokenizerComparison.Measure([TiktokenEncoding.Cl100kBase, BpeTokenizer.Bytes]);
        var cl100k = stats.Where(s => s.Tokenizer == "cl100k_base").ToDictionary(s => s.Kind);
        Assert.True(cl100k["German"].TokensPerWord > cl100k["English"].TokensPerWord);
        Assert.True(cl100k["Russian"].TokensPerWord > cl100k["English"].TokensPerWord);
        Assert.All(stats.Where(s => s.Tokenizer == "UTF-8 bytes"), s => Assert.Equal(1.0, s.BytesPerToken));
        var chart = TokenizerComparison.TokensPerWord([TiktokenEncoding.Cl100kBase, BpeTokenizer.Bytes]).ToHtml();
        Assert.Contains("\"barmode\":\"group\"", chart);
        Assert.Contains("cl100k_base", chart);
    }
}
