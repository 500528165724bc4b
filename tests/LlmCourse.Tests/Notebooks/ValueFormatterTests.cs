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

    [TypeFormatterSource(typeof(BadgeFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
    public class Badge(string label) { public string Label => label; }

    [TypeFormatterSource(typeof(BadgeFormatterSource))]
    public sealed class PlainBadge(string label) : Badge(label);

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
    public void WithoutPreferredMimeTypesASourceGivesTheKernelsDefaultTextHtmlOnly()
    {
        // As the kernel does (kernel-oracle README): no preferred types means text/html alone.
        var bundle = ValueFormatter.Format(new PlainBadge("p"));
        Assert.Equal(["text/html"], bundle.Keys);
    }

    [Fact]
    public void ValuesWithoutAFormatterGetTheKernelsMimeTypes()
    {
        // Strings are text/plain; numbers, sequences, objects and null are text/html only, as in the kernel.
        Assert.Equal(["text/plain"], ValueFormatter.Format("hello").Keys);
        Assert.Equal("hello", ValueFormatter.Format("hello")["text/plain"]);
        foreach (var value in new object?[] { 3.5, true, new List<int> { 1, 2, 3 }, (1, "a"), new { a = 1 }, null })
            Assert.Equal(["text/html"], ValueFormatter.Format(value).Keys);
        Assert.Contains("<pre>3.5</pre>", ValueFormatter.Format(3.5)["text/html"]);
        Assert.Contains("<tr><td>Paris</td><td>2</td></tr>", ValueFormatter.Format(new Dictionary<string, int> { ["Paris"] = 2 })["text/html"]);
    }

    [Fact]
    public void DefaultHtmlIsMarkedSoNotebooksCanBeCheckedNotToRelyOnIt()
    {
        // Its HTML differs from the kernel's trees; the marker lets a test find any notebook output that shows it.
        Assert.Contains(ValueFormatter.DefaultFormatClass, ValueFormatter.Format(new { a = 1 })["text/html"]);
        Assert.DoesNotContain(ValueFormatter.DefaultFormatClass, ValueFormatter.Format(new Badge("b"))["text/html"]);
    }

    [Fact]
    public void PlainTextIsHowTheKernelWritesValues()
    {
        Assert.Equal("[ 1, 2, 3 ]", ValueFormatter.Plain(new List<int> { 1, 2, 3 }));
        Assert.Equal("(1, a)", ValueFormatter.Plain((1, "a")));
        Assert.Equal("<null>", ValueFormatter.Plain(null));
    }
}
