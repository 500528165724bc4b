using LlmCourse.Notebooks.Formatting;

namespace LlmCourse.Tests.Notebooks;

/// <summary>The kernel's formatter convention is matched by attribute name, from any namespace.</summary>
public class ValueFormatterTests
{
    [AttributeUsage(AttributeTargets.Class)]
    sealed class TypeFormatterSourceAttribute(Type source) : Attribute
    {
        public Type FormatterSourceType { get; } = source;
        public string[] PreferredMimeTypes { get; set; } = [];
    }

    public sealed class BadgeFormatterSource
    {
        public IEnumerable<object> CreateTypeFormatters() => [new HtmlBadge(), new TextBadge()];
    }

    public sealed class HtmlBadge
    {
        public string MimeType => "text/html";
        public Type Type => typeof(Badge);
        public bool Format(object instance, TextWriter writer) { writer.Write($"<span class=badge>{((Badge)instance).Label}</span>"); return true; }
    }

    public sealed class TextBadge
    {
        public string MimeType => "text/plain";
        public bool Format(object instance, TextWriter writer) { writer.Write($"[{((Badge)instance).Label}]"); return true; }
    }

    [TypeFormatterSource(typeof(BadgeFormatterSource), PreferredMimeTypes = ["text/html"])]
    public class Badge(string label) { public string Label => label; }

    public sealed class GoldBadge() : Badge("gold");

    [Fact]
    public void ConventionFormattersRenderTheTypeAndItsSubclasses()
    {
        var bundle = ValueFormatter.Format(new GoldBadge());
        Assert.Equal("<span class=badge>gold</span>", bundle["text/html"]);
        Assert.Equal("[gold]", bundle["text/plain"]);
    }

    [Fact]
    public void RequestedMimeTypesRestrictTheBundle()
    {
        var bundle = ValueFormatter.Format(new Badge("x"), ["text/plain"]);
        Assert.Equal(["text/plain"], bundle.Keys);
    }

    [Fact]
    public void PlainValuesRenderAsTheKernelShowsThem()
    {
        Assert.Equal("3.5", ValueFormatter.Format(3.5)["text/plain"]);
        Assert.False(ValueFormatter.Format(3.5).ContainsKey("text/html"));
        Assert.Equal("[ 1, 2, 3 ]", ValueFormatter.Format(new List<int> { 1, 2, 3 })["text/plain"]);
        Assert.Equal("(1, a)", ValueFormatter.Format((1, "a"))["text/plain"]);
        Assert.Contains("<tr><td>Paris</td><td>2</td></tr>", ValueFormatter.Format(new Dictionary<string, int> { ["Paris"] = 2 })["text/html"]);
    }
}
