using LlmCourse.Chat;
using LlmCourse.Practice;
using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Serving;

/// <summary>Tokens and cost for notebook 08: token counts in three tokenizers, the price table, costs, and context budgets.</summary>
public class PracticeTests
{
    [Fact]
    public void APromptIsCountedInEachTokenizer()
    {
        var counts = PromptTokens.Compare("hello world");

        Assert.Equal(["cl100k_base", "o200k_base", ChatTemplate.Course.Tokenizer.Name], counts.Counts.Select(c => c.Tokenizer));
        Assert.Equal(2, counts["cl100k"]);   // 15339 1917 (DESIGN.md)
        Assert.Equal(TiktokenEncoding.O200kBase.Encode("hello world").Count, counts["o200k"]);
        Assert.Equal(ChatTemplate.Course.Tokenizer.Encode("hello world").Count, counts["course"]);
        Assert.All(counts.Counts, c => Assert.Equal(11, c.Characters));
        Assert.Contains("<table", counts.ToHtml());
        Assert.Throws<KeyNotFoundException>(() => counts["llama"]);
    }

    [Fact]
    public void AConversationCostsItsChatMarkupToo()
    {
        IReadOnlyList<Message> chat = [Message.User("What is the capital of France?"), Message.Assistant("Paris."), Message.User("And Peru?")];

        Assert.Equal(ChatTemplate.Course.Prompt(chat).Count, PromptTokens.CountChat(chat, ChatTemplate.Course.Tokenizer));
        // OpenAI's estimate: 3 per message, the role, the content, and 3 to start the reply.
        var o200k = TiktokenEncoding.O200kBase;
        var expected = chat.Sum(m => 3 + o200k.Encode(m.Role == Role.User ? "user" : "assistant").Count + o200k.Encode(m.Content).Count) + 3;
        Assert.Equal(expected, PromptTokens.CountChat(chat, o200k));
    }

    [Fact]
    public void TheShippedPriceTableIsDatedAndSourced()
    {
        var prices = PriceTable.Shipped();

        Assert.True(prices.Prices.Count >= 5);
        Assert.All(prices.Prices, p =>
        {
            Assert.StartsWith("https://", p.Source);
            Assert.True(p.Date.Year >= 2024);
            Assert.True(p.InputPerMillion > 0 && p.OutputPerMillion >= p.InputPerMillion, $"{p.Model}: output usually costs more than input");
        });
        Assert.Equal("gpt-4o-mini", prices["GPT-4o-mini"].Model);
        var e = Assert.Throws<KeyNotFoundException>(() => prices["llama-99"]);
        Assert.Contains("gpt-4o", e.Message);
    }

    static PriceTable Sample() => PriceTable.Parse([
        "# a comment",
        string.Join('\t', PriceTable.Columns),
        "cheap\tAcme\t0.10\t0.40\t128000\t2025-01-31\thttps://acme.example/pricing",
        "",
        "dear\tAcme\t3\t15\t\t2025-01-31\thttps://acme.example/pricing",
    ]);

    [Fact]
    public void CostsArePerMillionTokensPerRequestAndPerMonth()
    {
        var prices = Sample();

        Assert.Equal(0.0001m + 0.0002m, prices["cheap"].Cost(inputTokens: 1_000, outputTokens: 500));
        Assert.Equal(3m + 15m, prices["dear"].Cost(1_000_000, 1_000_000));
        Assert.Null(prices["dear"].ContextWindow);

        var usage = new UsagePattern(requestsPerDay: 1_000, inputTokens: 1_000, outputTokens: 500, daysPerMonth: 30);
        var estimates = prices.Estimate(usage);
        Assert.Equal(["cheap", "dear"], estimates.Estimates.Select(e => e.Model));   // cheapest first
        var cheap = estimates.Estimates[0];
        Assert.Equal(0.0003m, cheap.PerRequest);
        Assert.Equal(0.3m, cheap.PerDay);
        Assert.Equal(9m, cheap.PerMonth);
        Assert.Contains("$9.00", estimates.ToText());
    }

    [Theory]
    [InlineData("model\tprovider\tinput\n", "the header must be")]
    [InlineData("x\tAcme\tcheap\t0.4\t\t2025-01-31\thttps://a.example/p", "line 2: input_usd_per_million must be a number")]
    [InlineData("x\tAcme\t0.1\t0.4\t\t31/01/2025\thttps://a.example/p", "line 2: date must be written yyyy-mm-dd")]
    [InlineData("x\tAcme\t0.1\t0.4\t\t2025-01-31\twww.example.com", "line 2: source must be the https:// address")]
    [InlineData("x\tAcme\t0.1\t0.4\t2025-01-31\thttps://a.example/p", "line 2: 6 tab-separated cells")]
    public void AMalformedPriceFileSaysWhereAndWhat(string row, string words)
    {
        var lines = row.StartsWith("model") ? [row] : new[] { string.Join('\t', PriceTable.Columns), row };

        var e = Assert.Throws<FormatException>(() => PriceTable.Parse(lines, "prices.tsv"));

        Assert.Contains(words, e.Message);
    }

    [Theory]
    [InlineData(1234.5, "$1,234.50")]
    [InlineData(1, "$1.00")]
    [InlineData(0.654, "$0.65")]
    [InlineData(0.01, "$0.01")]
    [InlineData(0.00041249, "$0.000412")]
    [InlineData(0.0009, "$0.0009")]
    [InlineData(0, "$0")]
    public void DollarsReadAsAPersonWritesThem(double amount, string text) =>
        Assert.Equal(text, PriceTable.Dollars((decimal)amount));

    static IReadOnlyList<Message> LongChat() =>
    [
        Message.User("Tell me about the capital of France and its long history, please."),
        Message.Assistant("Paris has been the capital for many centuries, with a long and rich history of kings and revolutions."),
        Message.User("What is 13 minus 4?"), Message.ToolCall("calculator(13 - 4)"), Message.ToolResult("9"), Message.Assistant("It is 9."),
        Message.User("And the capital of Peru?"),
    ];

    [Fact]
    public void WhatFitsIsKeptAndTheOldestExchangesAreDroppedWhole()
    {
        var history = LongChat();
        var whole = ChatTemplate.Course.Prompt(history).Count;
        var fromSecond = ChatTemplate.Course.Prompt(history.Skip(2).ToList()).Count;
        // A window that holds the last two exchanges but not all three.
        var budget = new ContextBudget(contextWindow: fromSecond + 10, reservedForReply: 10, h => ChatTemplate.Course.Prompt(h).Count);

        var fit = budget.Fit(history);

        Assert.True(whole > budget.ForPrompt);
        Assert.Equal(history.Take(2), fit.Dropped);
        Assert.Equal(history.Skip(2), fit.Kept);
        Assert.Equal(fromSecond, fit.PromptTokens);
        Assert.True(fit.Fits);
        Assert.Equal(10, fit.LeftForReply);
        Assert.Contains("dropped", fit.ToText());
        // The table's per-message shares add up to what is sent.
        var rows = fit.ToText().Split('\n').Skip(2).Select(l => l.Split(" | ")).ToList();
        Assert.Equal(history.Count, rows.Count);
        Assert.Equal(fit.PromptTokens, rows.Where(r => r[3] == "kept").Sum(r => int.Parse(r[2])));
    }

    [Fact]
    public void EverythingFitsInABigWindowAndTheNewestMessageAloneMayNot()
    {
        var history = LongChat();
        var roomy = ContextBudget.OpenAi(contextWindow: 128_000, reservedForReply: 4_000).Fit(history);
        Assert.Empty(roomy.Dropped);
        Assert.True(roomy.Fits);
        Assert.Equal(PromptTokens.CountChat(history, TiktokenEncoding.O200kBase), roomy.PromptTokens);

        var tiny = new ContextBudget(contextWindow: 12, reservedForReply: 4, h => ChatTemplate.Course.Prompt(h).Count).Fit(history);
        Assert.False(tiny.Fits);
        Assert.Equal([history[^1]], tiny.Kept);   // the newest question always stays
        Assert.Contains("must be shortened", tiny.ToText());
    }

    [Fact]
    public void ACourseModelsBudgetIsItsOwnContextLength()
    {
        var budget = ContextBudget.For(TinyChat.Random(context: 64), reservedForReply: 16);

        Assert.Equal(64, budget.ContextWindow);
        Assert.Equal(48, budget.ForPrompt);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContextBudget(64, 64, _ => 0));
    }
}
