using System.Text.RegularExpressions;
using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

/// <summary>
/// Fan wikis exist to teach the base model to read its context: every quiz answer must be recoverable from earlier on
/// the same page (names are drawn at random per page, so the page is the only reliable source), and the pages must
/// survive the quality filters.
/// </summary>
[Collection("default crawl")]
public class FanWikiTests(DefaultCrawlFixture fx)
{
    [Fact]
    public void EveryQuizAnswerIsStatedEarlierOnThePage()
    {
        var wikis = fx.Result.Rows.Where(r => r.Url.Contains("/wiki/page-", StringComparison.Ordinal)).ToList();
        Assert.True(wikis.Count >= 300, $"{wikis.Count} fan wikis kept");
        foreach (var row in wikis)
        {
            var answersAt = row.Text.IndexOf("Answers:", StringComparison.Ordinal);
            var before = row.Text[..answersAt];
            foreach (Match answer in Regex.Matches(row.Text[answersAt..], @"\d\) (?<sentence>[^.]+)\."))
            {
                // "The capital of X is Y", "X was born in N", "X works as a J": the last word is what must be copied.
                var sentence = answer.Groups["sentence"].Value;
                var value = sentence.Split(' ')[^1];
                var subject = Regex.Match(sentence, @"^(The capital of )?(?<who>.+?) (is|was|works)").Groups["who"].Value;
                Assert.Contains(value, before);
                Assert.Contains(subject, before);
            }
        }
    }
}
