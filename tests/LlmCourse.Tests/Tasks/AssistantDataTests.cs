using LlmCourse.Chat;
using LlmCourse.Tasks;

namespace LlmCourse.Tests.Tasks;

/// <summary>The SFT dataset follows its guide: it holds the seeds' conversations, never a held-out fact, and is the same every time.</summary>
public class AssistantDataTests
{
    static readonly IReadOnlyList<Conversation> Data = AssistantData.Build(FactSplit.Shipped);

    [Fact]
    public void HeldOutFactsNeverAppearInTheData()
    {
        var text = string.Join("\n", Data.SelectMany(c => c.Messages).Select(m => m.Content));
        foreach (var f in FactSplit.Shipped.HeldOut)
            Assert.DoesNotContain(f.Fact.Entity, text);
    }

    [Fact]
    public void FactsAreHeldOutInEveryMentionBucket()
    {
        var buckets = FactSplit.Shipped.HeldOut.Select(f => f.Bucket).Distinct().ToHashSet();
        foreach (var b in LlmCourse.Data.FactWorld.Buckets) Assert.Contains(b.Label, buckets);
        Assert.All(FactSplit.Shipped.Training, f => Assert.NotEqual("0", f.Bucket));   // never-seen facts are never taught
    }

    [Fact]
    public void TheSeedsConversationsAreInTheDataVerbatim()
    {
        foreach (var seed in AssistantData.SeedConversations)
            Assert.Contains(Data, c => c.Messages.SequenceEqual(seed.Messages));
    }

    [Fact]
    public void EveryKindTheGuideAsksForIsThere()
    {
        var kinds = Data.Select(c => c.Kind.Split(':')[0]).Distinct().ToHashSet();
        foreach (var kind in new[] { "fact", "fact follow-up", "seed", "identity", "refusal", "small talk", "problem", "direct problem", "toast", "travel tip", "pasted text", "introduction" })
            Assert.Contains(kind, kinds);
    }

    [Fact]
    public void TheDatasetIsSeededAndSurvivesJsonl()
    {
        Assert.Equal(Data.Select(c => c.ToJsonLine()), AssistantData.Build(FactSplit.Shipped).Select(c => c.ToJsonLine()));
        var path = TestPaths.TempFile("sft.jsonl");
        AssistantData.WriteJsonl(Data.Take(50), path);
        Assert.Equal(Data.Take(50).Select(c => c.ToJsonLine()), AssistantData.ReadJsonl(path).Select(c => c.ToJsonLine()));
    }

    [Fact]
    public void AMalformedJsonlLineNamesTheFileAndLine()
    {
        var path = TestPaths.TempFile("bad.jsonl");
        File.WriteAllLines(path, [Data[0].ToJsonLine(), "{not json"]);
        var e = Assert.Throws<FormatException>(() => AssistantData.ReadJsonl(path));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("bad.jsonl", e.Message);
    }

    [Fact]
    public void EveryConversationFitsTheModelsContext()
    {
        var template = ChatTemplate.Course;
        Assert.All(Data, c => Assert.True(template.Render(c).Tokens.Count <= 257, c.ToString()));
    }
}
