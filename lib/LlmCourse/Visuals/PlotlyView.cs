using System.Reflection;
using Plotly.NET;

namespace LlmCourse.Visuals;

/// <summary>
/// A Plotly.NET chart as notebook HTML (most cells use <see cref="Figure"/>, which builds the chart). Plotly.NET builds the figure; the path from figure to HTML is
/// ours and small (its own HTML path needs a newer FSharp.Core than the kernel loads): the figure's
/// JSON plus a script that loads plotly.js once per page and draws it.
/// </summary>
public sealed class PlotlyView(GenericChart chart, int height = 420) : HtmlView
{
    public const string PlotlyJsVersion = "2.28.0";
    /// <summary>Marks a chart in HTML, so an exporter knows the page needs plotly.js.</summary>
    public const string Marker = "data-plotly-chart";
    static readonly string CdnUrl = $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min";

    public GenericChart Chart { get; } = chart;

    public override string ToHtml()
    {
        var id = "plot-" + Guid.NewGuid().ToString("N")[..12];
        var figure = GenericChart.toFigureJson(Chart);
        // plotly.js is UMD: with RequireJS on the page it registers as a module instead of a global.
        return $$$"""
            <div id="{{{id}}}" {{{Marker}}} style="width:100%;min-height:{{{height}}}px;"></div>
            <script type="text/javascript">
            (function () {
              var fig = {{{figure}}};
              fig.layout = fig.layout || {};
              fig.layout.height = fig.layout.height || {{{height}}};
              function draw(P) { P.newPlot('{{{id}}}', fig.data, fig.layout, {responsive: true, displaylogo: false}); }
              if (typeof window.Plotly !== 'undefined') { draw(window.Plotly); return; }
              if (typeof require === 'function' && require.config) {
                require.config({paths: {plotly: '{{{CdnUrl}}}'}});
                require(['plotly'], function (P) { window.Plotly = P; draw(P); });
                return;
              }
              window.__plotlyLoading = window.__plotlyLoading || new Promise(function (ok, fail) {
                var s = document.createElement('script');
                s.src = '{{{CdnUrl}}}.js'; s.onload = ok; s.onerror = fail;
                document.head.appendChild(s);
              });
              window.__plotlyLoading.then(function () { draw(window.Plotly); }, function () {
                document.getElementById('{{{id}}}').innerText = 'plotly.js could not be loaded (offline?): this chart needs {{{CdnUrl}}}.js';
              });
            })();
            </script>
            """;
    }

    public override string ToText() => "[Plotly chart]";

    /// <summary>
    /// plotly.js itself (from the copy Plotly.NET embeds), for pages that must work offline:
    /// put it in the page head and every chart draws without the network.
    /// </summary>
    public static string PlotlyJsScriptTag()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"plotly-{PlotlyJsVersion}.min.js"));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return "<script type=\"text/javascript\">" + reader.ReadToEnd() + "</script>";
    }
}
