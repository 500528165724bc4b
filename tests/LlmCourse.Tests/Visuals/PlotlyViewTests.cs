using System.Reflection;
using LlmCourse.Notebooks.Export;
using LlmCourse.Visuals;

namespace LlmCourse.Tests.Visuals;

/// <summary>A chart's HTML: a picture that shows without scripts, swapped for the interactive chart where plotly.js loads.</summary>
public class PlotlyViewTests
{
    static string ChartHtml() => new Figure("t").Line(new[] { 1, 2 }, new[] { 1, 4 }, "a").ToHtml();

    [Fact]
    public void ChartHtmlCarriesItsSvgAndTheScriptThatReplacesIt()
    {
        var html = ChartHtml();

        Assert.Contains(PlotlyView.Marker, html);
        var svg = html.IndexOf("<svg", StringComparison.Ordinal);
        var script = html.IndexOf("<script", StringComparison.Ordinal);
        Assert.True(svg >= 0 && svg < script, "the static picture comes first, inside the chart's div");
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("picture.style.display = 'none'", html);   // hidden only once plotly.js is there to draw
        Assert.Contains($"https://cdn.plot.ly/plotly-{PlotlyView.PlotlyJsVersion}.min", html);
        Assert.DoesNotContain("could not be loaded", html);        // offline, the picture stays: no error text replaces it
    }

    [Fact]
    public void LabelsCannotEndTheScript()
    {
        var html = new Figure("</script><b>").Bar(["</script>"], new[] { 1 }).ToHtml();

        Assert.Single(html.Split("</script>")[1..]);   // only the script's own end tag
    }

    [Fact]
    public void TheCourseLibraryNeedsNoFSharpOrPlotlyNet()
    {
        var references = typeof(Figure).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("FSharp.Core", references);
        Assert.DoesNotContain("Plotly.NET", references);

        // What notebooks load (#r "../artifacts/course/LlmCourse.dll") carries none of Plotly.NET's dependencies either.
        var course = TestPaths.InRepository("artifacts", "course");
        if (Directory.Exists(course))
            foreach (var dll in new[] { "FSharp.Core.dll", "Plotly.NET.dll", "DynamicObj.dll", "Giraffe.ViewEngine.dll" })
                Assert.False(File.Exists(Path.Combine(course, dll)), $"{dll} in artifacts/course");
    }

    [Fact]
    public void ExportedPagesInlineTheSamePlotlyJs()
    {
        var tag = PlotlyJs.ScriptTag();

        Assert.Equal(PlotlyView.PlotlyJsVersion, PlotlyJs.Version);
        Assert.StartsWith("<script", tag);
        Assert.Contains($"plotly.js v{PlotlyJs.Version}", tag);
    }
}
