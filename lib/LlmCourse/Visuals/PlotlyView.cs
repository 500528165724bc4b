using LlmCourse.Visuals.Plotly;
using LlmCourse.Visuals.Svg;

namespace LlmCourse.Visuals;

/// <summary>
/// A figure as notebook HTML (most cells use <see cref="Figure"/>, which builds the figure). Two pictures of the
/// same chart travel together: a static SVG drawn here, which every viewer shows (GitHub, nbviewer, an offline
/// VS Code, a page with scripts off), and a script that swaps it for the interactive plotly.js chart once
/// plotly.js has loaded. If plotly.js cannot load, nothing is swapped and the SVG stays.
/// </summary>
public sealed class PlotlyView(PlotlyFigure figure) : HtmlView
{
    public const string PlotlyJsVersion = "2.28.0";
    /// <summary>Marks a chart in HTML, so an exporter knows the page needs plotly.js.</summary>
    public const string Marker = "data-plotly-chart";
    static readonly string CdnUrl = $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min";
    /// <summary>plotly.js's height when a figure sets none.</summary>
    const int DefaultHeight = 450;

    public PlotlyFigure Figure { get; } = figure;

    public override string ToHtml()
    {
        // The id comes from the figure itself, so re-running an unchanged cell writes the same HTML (stable committed
        // outputs); two identical charts on one page would share it, and the second would keep its static picture.
        var json = Figure.ToJson();
        var id = "plot-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)))[..12].ToLowerInvariant();
        var height = Figure.Layout.Height ?? DefaultHeight;
        var picture = SvgChart.Render(Figure, id: id + "-svg");
        // plotly.js is UMD: with RequireJS on the page it registers as a module instead of a global.
        // The SVG is hidden (not removed) while plotly draws, and shown again if drawing fails.
        return $$$"""
            <div id="{{{id}}}" {{{Marker}}} style="width:100%;">{{{picture}}}</div>
            <script type="text/javascript">
            (function () {
              var fig = {{{json}}};
              fig.layout = fig.layout || {};
              fig.layout.height = fig.layout.height || {{{height}}};
              function draw(Plotly) {
                var root = document.getElementById('{{{id}}}');
                if (!root || !Plotly || !Plotly.newPlot) return;
                var picture = root.querySelector('svg');
                var target = document.createElement('div');
                root.appendChild(target);
                function keepPicture() { target.remove(); if (picture) picture.style.display = ''; }
                if (picture) picture.style.display = 'none';
                try { Plotly.newPlot(target, fig.data, fig.layout, {responsive: true, displaylogo: false}).catch(keepPicture); }
                catch (e) { keepPicture(); }
              }
              if (typeof window.Plotly !== 'undefined') { draw(window.Plotly); return; }
              if (typeof require === 'function' && require.config) {
                require.config({paths: {plotly: '{{{CdnUrl}}}'}});
                require(['plotly'], function (P) { window.Plotly = P; draw(P); }, function () { /* offline: the SVG stays */ });
                return;
              }
              window.__plotlyLoading = window.__plotlyLoading || new Promise(function (ok, fail) {
                var s = document.createElement('script');
                s.src = '{{{CdnUrl}}}.js'; s.onload = ok; s.onerror = fail;
                document.head.appendChild(s);
              });
              window.__plotlyLoading.then(function () { draw(window.Plotly); }, function () { /* offline: the SVG stays */ });
            })();
            </script>
            """;
    }

    public override string ToText() => "[Plotly chart]";
}
