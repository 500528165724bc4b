using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

public class PiiScrubberTests
{
    [Theory]
    [InlineData("Write to mira.okonkwo@mailbox.example today.", "Write to [EMAIL] today.")]
    [InlineData("Mail j_doe+news@post.co.example!", "Mail [EMAIL]!")]
    [InlineData("Call (555) 014-2298 now.", "Call [PHONE] now.")]
    [InlineData("Call +1 555 014 2298 now.", "Call [PHONE] now.")]
    [InlineData("Call 555-014-2298 now.", "Call [PHONE] now.")]
    [InlineData("Ring +44 20 7946 0958 or 020 7946 0123.", "Ring [PHONE] or [PHONE].")]
    [InlineData("My server is at 192.168.1.23, try it.", "My server is at [IP], try it.")]
    [InlineData("Try 203.0.113.45 directly.", "Try [IP] directly.")]
    public void Replaces_personal_data_with_placeholders(string input, string expected)
    {
        var r = PiiScrubber.Scrub(input);
        Assert.Equal(expected, r.Text);
        Assert.True(r.Changed);
    }

    [Theory]
    [InlineData("Mira Okonkwo was born in 1962 and works as a glassblower.")]
    [InlineData("The oranges cost 2 × $2 = $4. The total is $13, so the apples cost $13 - $4 = $9.")]
    [InlineData("We add the two amounts: 48 + 27 = 75. The answer is 75.")]
    [InlineData("Step 3. Bake for 40 minutes at 180 degrees, version 1.2.3 of the recipe.")]
    [InlineData("The meeting is on 2024-05-13 at 10.30 in room 12.")]
    [InlineData("Send the forms to 42 Linden Street, Millhaven.")] // street addresses stay: patterns cannot tell them from text
    public void Leaves_ordinary_text_alone(string text)
    {
        var r = PiiScrubber.Scrub(text);
        Assert.Equal(text, r.Text);
        Assert.False(r.Changed);
    }

    [Fact]
    public void Reports_what_it_replaced()
    {
        var r = PiiScrubber.Scrub("Email a@b.example or call 555-123-4567 or visit 10.0.0.1.");
        Assert.Equal(["email", "ip", "phone"], r.Matches.Select(m => m.Kind).ToArray());
        Assert.Equal(["a@b.example", "10.0.0.1", "555-123-4567"], r.Matches.Select(m => m.Original).ToArray());
    }
}
