using System.Security.Cryptography;
using System.Text;
using LlmCourse.Visuals.Plotly;
using static LlmCourse.Visuals.Svg.SvgText;

namespace LlmCourse.Visuals.Svg;

/// <summary>
/// Draws a plotly figure as a static SVG, on the server, so a chart can be read where plotly.js never runs: on
/// GitHub, in nbviewer, in VS Code offline, with scripts off. It follows plotly.js's default look (white
/// background, light grid, the same colours, ticks and legend placement) closely enough that the picture and
/// the interactive chart that replaces it show the same thing.
/// </summary>
/// <remarks>
/// The steps: <see cref="ChartMarks"/> turns the traces into marks in axis units; the frame is fitted (margins grow
/// to fit tick labels, titles, the legend or colour bar, as plotly's automargin does); then the picture is drawn
/// back to front: grid, data (clipped to the plot area), bar labels, axes, legend or colour bar, title.
/// </remarks>
public static class SvgChart
{
    /// <summary>
    /// The picture's width in pixels, about a notebook output's; it scales down on a narrower page. (plotly.js stretches
    /// the interactive chart to the page's width at the figure's height; the picture keeps its proportions.)
    /// </summary>
    public const int DefaultWidth = 900;
    const int DefaultHeight = 450;   // plotly's when a figure sets none
    const double TickFont = 12, MinorFont = 9, AxisTitleFont = 14, TitleFont = 17, LineHeight = 15;
    const string GridColor = "#eee", ZeroLineColor = "#444";

    public static string Render(PlotlyFigure figure, int width = DefaultWidth, string? id = null)
    {
        var height = figure.Layout.Height ?? DefaultHeight;
        id ??= "chart-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(figure.ToJson())))[..10].ToLowerInvariant();
        var marks = ChartMarks.From(figure);
        var frame = Frame.Fit(marks, figure.Layout, width, height);

        var svg = new StringBuilder();
        var title = figure.Layout.Title?.Text;
        svg.Append($"""<svg xmlns="http://www.w3.org/2000/svg" class="plotly-static" width="{width}" height="{height}" viewBox="0 0 {width} {height}" """)
           .Append($"""role="img" font-family="{FontFamily}" font-size="{N(TickFont)}" fill="{Color}" style="display:block;max-width:100%;height:auto">""");
        svg.Append($"<title>{Escape(title ?? "chart")}</title>");
        svg.Append($"""<defs><clipPath id="{id}-plot"><rect x="{N(frame.Left)}" y="{N(frame.Top)}" width="{N(frame.PlotWidth)}" height="{N(frame.PlotHeight)}"/></clipPath></defs>""");
        svg.Append($"""<rect class="background" width="{width}" height="{height}" fill="#fff"/>""");

        Grid(svg, frame, marks);
        svg.Append($"""<g class="data" clip-path="url(#{id}-plot)">""");
        foreach (var heatmap in marks.Heatmaps) Heatmap(svg, frame, heatmap);
        foreach (var bars in marks.Bars) BarShapes(svg, frame, bars);
        foreach (var line in marks.Lines) Line(svg, frame, line);
        svg.Append("</g>");
        foreach (var bars in marks.Bars) BarLabels(svg, frame, bars, stacked: figure.Layout.BarMode is "stack" or "relative");
        Axes(svg, frame, figure.Layout);
        if (marks.Legend.Count > 0) Legend(svg, frame, marks.Legend);
        if (marks.Heatmaps.Count > 0) ColorBar(svg, frame, marks.Heatmaps[0], id);
        if (title is not null)
            svg.Append($"""<text class="title" x="{N(width / 2.0)}" y="{N(Math.Max(frame.Top / 2 + 1, TitleFont))}" text-anchor="middle" font-size="{N(TitleFont)}">{Escape(title)}</text>""");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Where everything goes: the plot area inside the margins, the two axes fitted to it, the tick labels (x labels
    /// may be turned to fit), and the strip on the right for the legend or colour bar.
    /// </summary>
    sealed record Frame(double Width, double Height, double Left, double Top, double PlotWidth, double PlotHeight,
                        AxisScale X, AxisScale Y, IReadOnlyList<Tick> XTicks, IReadOnlyList<Tick> YTicks,
                        double XLabelAngle, double XLabelDepth, double YLabelWidth, bool XHidden, AxisScale? ColorAxis, double ColorBarWidth)
    {
        public double Right => Left + PlotWidth;
        public double Bottom => Top + PlotHeight;

        public static Frame Fit(ChartMarks marks, Layout layout, double width, double height)
        {
            var margin = layout.Margin ?? new Margin(80, 80, 100, 80);   // plotly's defaults
            var legendWidth = marks.Legend.Count == 0 ? 0 : 12 + 40 + marks.Legend.Max(e => SvgText.Width(SvgText.Fit(e.Name, TickFont, width * 0.25), TickFont));
            double left = margin.L, bottom = margin.B, top = margin.T, colorBarWidth = 0;
            var right = margin.R + legendWidth;
            Frame frame = null!;
            // Twice: the margins depend on the tick labels, which depend on the plot area the margins leave.
            for (var pass = 0; pass < 2; pass++)
            {
                var (plotWidth, plotHeight) = (Math.Max(width - left - right - colorBarWidth, 40), Math.Max(height - top - bottom, 40));
                var x = AxisScale.Fit(marks.XKind, marks.XCategories, marks.XExtent, left, left + plotWidth, isX: true);
                var y = marks.YReversed
                    ? AxisScale.Fit(marks.YKind, marks.YCategories, marks.YExtent, top, top + plotHeight, isX: false)
                    : AxisScale.Fit(marks.YKind, marks.YCategories, marks.YExtent, top + plotHeight, top, isX: false);

                var yTicks = y.Ticks(labelSize: LineHeight)
                    .Select(t => t with { Label = SvgText.Fit(t.Label, TickFont, width * 0.3) }).ToList();
                var yLabelWidth = yTicks.Select(t => SvgText.Width(t.Label, TickFont)).DefaultIfEmpty(0).Max();
                var (xTicks, angle, depth) = marks.XHidden ? ([], 0, 0) : XLabels(x, height);

                ColorScaleAxis(marks, top, top + plotHeight, out var colorAxis, out var colorWidth);
                frame = new Frame(width, height, left, top, plotWidth, plotHeight, x, y, xTicks, yTicks, angle, depth, yLabelWidth, marks.XHidden, colorAxis, colorWidth);
                // automargin: margins grow to fit what sits in them, never shrink below the figure's own.
                left = layout.YAxis.AutoMargin == false ? margin.L : Math.Max(margin.L, yLabelWidth + 10 + (layout.YAxis.Title is null ? 0 : 24));
                bottom = layout.XAxis.AutoMargin == false ? margin.B : Math.Max(margin.B, depth + 10 + (layout.XAxis.Title is null ? 0 : 26));
                colorBarWidth = colorWidth;
            }
            return frame;
        }

        /// <summary>
        /// Category names along x are turned when they would collide, as plotly does: first by 30 degrees (enough when
        /// the slant spaces them a line apart), else upright at 90 degrees, every n-th name when even that is too tight.
        /// </summary>
        static (IReadOnlyList<Tick> Ticks, double Angle, double Depth) XLabels(AxisScale x, double height)
        {
            if (x.Kind != AxisKind.Category) return (x.Ticks(), 0, LineHeight);
            var spacing = x.Length / Math.Max(x.Categories.Count, 1);
            var ticks = x.Ticks();
            var widest = ticks.Select(t => SvgText.Width(t.Label, TickFont)).DefaultIfEmpty(0).Max();
            if (widest + 8 <= spacing) return (ticks, 0, LineHeight);
            var maxWidth = height * 0.3;   // long names are shortened rather than squeezing the plot away
            ticks = ticks.Select(t => t with { Label = SvgText.Fit(t.Label, TickFont, maxWidth) }).ToList();
            widest = Math.Min(widest, maxWidth);
            if (spacing >= 2 * LineHeight) return (ticks, -30, widest / 2 + LineHeight);
            return (x.Ticks(labelSize: LineHeight).Select(t => t with { Label = SvgText.Fit(t.Label, TickFont, maxWidth) }).ToList(), -90, widest + 4);
        }

        static void ColorScaleAxis(ChartMarks marks, double top, double bottom, out AxisScale? axis, out double width)
        {
            (axis, width) = (null, 0);
            if (marks.Heatmaps.Count == 0) return;
            var heatmap = marks.Heatmaps[0];
            var extent = new AxisExtent();
            extent.Include(heatmap.ZMin);
            extent.Include(heatmap.ZMax);
            axis = AxisScale.Fit(AxisKind.Linear, [], extent, bottom, top, isX: false);
            width = 14 + 16 + 6 + axis.Ticks().Select(t => SvgText.Width(t.Label, TickFont)).DefaultIfEmpty(0).Max();
        }
    }

    // Light lines at the numeric ticks, and the zero line darker, as plotly draws them (category axes have none).
    static void Grid(StringBuilder svg, Frame f, ChartMarks marks)
    {
        svg.Append("""<g class="grid">""");
        if (f.X.Kind != AxisKind.Category && !f.XHidden)
            foreach (var t in f.XTicks)
                svg.Append($"""<line x1="{N(f.X.ToPixel(t.At))}" x2="{N(f.X.ToPixel(t.At))}" y1="{N(f.Top)}" y2="{N(f.Bottom)}" stroke="{GridColor}"/>""");
        if (f.Y.Kind != AxisKind.Category)
            foreach (var t in f.YTicks)
                svg.Append($"""<line x1="{N(f.Left)}" x2="{N(f.Right)}" y1="{N(f.Y.ToPixel(t.At))}" y2="{N(f.Y.ToPixel(t.At))}" stroke="{GridColor}"/>""");
        // No zero line across the bars' positions (a histogram's bins start at 0): only along values.
        var verticalBars = marks.Bars.Any(b => !b.Horizontal);
        var horizontalBars = marks.Bars.Any(b => b.Horizontal);
        if (f.X.Kind == AxisKind.Linear && !f.XHidden && f.X.Contains(0) && marks.Heatmaps.Count == 0 && !verticalBars)
            svg.Append($"""<line class="zeroline" x1="{N(f.X.ToPixel(0))}" x2="{N(f.X.ToPixel(0))}" y1="{N(f.Top)}" y2="{N(f.Bottom)}" stroke="{ZeroLineColor}"/>""");
        if (f.Y.Kind == AxisKind.Linear && f.Y.Contains(0) && marks.Heatmaps.Count == 0 && !horizontalBars)
            svg.Append($"""<line class="zeroline" x1="{N(f.Left)}" x2="{N(f.Right)}" y1="{N(f.Y.ToPixel(0))}" y2="{N(f.Y.ToPixel(0))}" stroke="{ZeroLineColor}"/>""");
        svg.Append("</g>");
    }

    // One path per trace (broken where a value is missing), dots on top when the trace has markers.
    static void Line(StringBuilder svg, Frame f, LineMark line)
    {
        svg.Append($"""<g class="trace scatter" data-name="{Escape(line.Name)}">""");
        if (line.Lines)
        {
            var d = new StringBuilder();
            var penDown = false;
            foreach (var (x, y) in line.Points)
            {
                if (!double.IsFinite(x) || !double.IsFinite(y)) { penDown = false; continue; }
                d.Append(penDown ? 'L' : 'M').Append(N(f.X.ToPixel(x))).Append(',').Append(N(f.Y.ToPixel(y)));
                penDown = true;
            }
            var dash = DashArray(line.Dash, line.Width) is { } a ? $" stroke-dasharray=\"{a}\"" : "";
            svg.Append($"""<path class="line" d="{d}" fill="none" stroke="{Escape(line.Color)}" stroke-width="{N(line.Width)}" stroke-linejoin="round"{dash}/>""");
        }
        if (line.Markers)
            for (var i = 0; i < line.Points.Count; i++)
            {
                var (x, y) = line.Points[i];
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                svg.Append($"""<circle class="point" cx="{N(f.X.ToPixel(x))}" cy="{N(f.Y.ToPixel(y))}" r="3" fill="{Escape(line.Color)}">""")
                   .Append($"<title>{Escape(line.Tooltips[i] ?? "")}</title></circle>");
            }
        svg.Append("</g>");
    }

    /// <summary>plotly's dash patterns, which scale with the line width (at least 3 px).</summary>
    static string? DashArray(string? dash, double width)
    {
        var w = Math.Max(width, 3);
        return dash switch
        {
            null or "solid" => null,
            "dot" => $"{N(w)},{N(w)}",
            "dash" => $"{N(3 * w)},{N(3 * w)}",
            "longdash" => $"{N(5 * w)},{N(5 * w)}",
            "dashdot" => $"{N(3 * w)},{N(w)},{N(w)},{N(w)}",
            "longdashdot" => $"{N(5 * w)},{N(2 * w)},{N(w)},{N(2 * w)}",
            _ => Escape(dash),   // already a dash array, e.g. "5px,10px"
        };
    }

    /// <summary>A bar's rectangle in pixels; a bar starting at zero on a log axis starts at the axis edge.</summary>
    static (double X, double Y, double W, double H) Rect(Frame f, bool horizontal, Bar bar)
    {
        var (along, across) = horizontal ? (f.X, f.Y) : (f.Y, f.X);
        var edge = along.PixelStart;
        var a0 = double.IsFinite(bar.Start) ? along.ToPixel(bar.Start) : edge;
        var a1 = double.IsFinite(bar.End) ? along.ToPixel(bar.End) : edge;
        var c0 = across.ToPixel(bar.Position - bar.Thickness / 2);
        var c1 = across.ToPixel(bar.Position + bar.Thickness / 2);
        return horizontal
            ? (Math.Min(a0, a1), Math.Min(c0, c1), Math.Abs(a1 - a0), Math.Abs(c1 - c0))
            : (Math.Min(c0, c1), Math.Min(a0, a1), Math.Abs(c1 - c0), Math.Abs(a1 - a0));
    }

    static void BarShapes(StringBuilder svg, Frame f, BarMark mark)
    {
        svg.Append($"""<g class="trace {(mark.IsFunnel ? "funnel" : "bars")}" data-name="{Escape(mark.Name)}" shape-rendering="crispEdges">""");
        if (mark.IsFunnel)   // the light bands joining one stage to the next
            for (var i = 0; i + 1 < mark.Bars.Count; i++)
            {
                var (a, b) = (Rect(f, true, mark.Bars[i]), Rect(f, true, mark.Bars[i + 1]));
                var (aEdge, bEdge) = f.Y.PixelEnd > f.Y.PixelStart ? (a.Y + a.H, b.Y) : (a.Y, b.Y + b.H);
                svg.Append($"""<polygon class="connector" points="{N(a.X)},{N(aEdge)} {N(a.X + a.W)},{N(aEdge)} {N(b.X + b.W)},{N(bEdge)} {N(b.X)},{N(bEdge)}" fill="{Faded(mark.Color)}"/>""");
            }
        foreach (var bar in mark.Bars)
        {
            var r = Rect(f, mark.Horizontal, bar);
            svg.Append($"""<rect class="bar" x="{N(r.X)}" y="{N(r.Y)}" width="{N(r.W)}" height="{N(r.H)}" fill="{Escape(mark.Color)}"><title>{Escape(bar.Tooltip)}</title></rect>""");
        }
        svg.Append("</g>");
    }

    static string Faded(string color) => Rgb.Parse(color) is { } c ? Rgb.Mix(c, new Rgb(255, 255, 255), 0.5).ToString() : "#ddd";

    /// <summary>
    /// Bar labels as plotly's "auto" places them: inside the bar's end when they fit (light text on a dark bar),
    /// turned upright inside a tall narrow bar, otherwise just beyond the end, shrunk to the bar's width if need be.
    /// A stacked bar's label that does not fit inside is left out rather than overlap the next bar. A funnel's text
    /// sits in the middle of its bar, one line per item.
    /// </summary>
    static void BarLabels(StringBuilder svg, Frame f, BarMark mark, bool stacked)
    {
        if (mark.Bars.All(b => string.IsNullOrEmpty(b.Label))) return;
        var inside = Rgb.Parse(mark.Color) is { IsLight: true } ? Color : "#fff";
        svg.Append("""<g class="bar-labels">""");
        foreach (var bar in mark.Bars)
        {
            if (string.IsNullOrEmpty(bar.Label)) continue;
            var r = Rect(f, mark.Horizontal, bar);
            var lines = bar.Label.Split('\n');
            var (textWidth, textHeight) = (lines.Max(l => Width(l, TickFont)), lines.Length * LineHeight);
            if (mark.IsFunnel) FunnelText(svg, r, lines, textWidth, textHeight, inside);
            else if (mark.Horizontal) HorizontalBarText(svg, r, Escape(bar.Label), textWidth, bar.End < bar.Start, stacked, inside);
            else VerticalBarText(svg, r, Escape(bar.Label), textWidth, bar.End < bar.Start, stacked, inside);
        }
        svg.Append("</g>");
    }

    static void FunnelText(StringBuilder svg, (double X, double Y, double W, double H) r, string[] lines, double textWidth, double textHeight, string inside)
    {
        var fits = textWidth + 8 <= r.W && textHeight <= r.H + 2;
        var (x, anchor, fill) = fits ? (r.X + r.W / 2, "middle", inside) : (r.X + r.W + 4, "start", Color);
        svg.Append($"""<text x="{N(x)}" y="{N(r.Y + r.H / 2 - textHeight / 2 + TickFont - 1)}" text-anchor="{anchor}" fill="{fill}">""");
        for (var i = 0; i < lines.Length; i++)
            svg.Append($"""<tspan x="{N(x)}" dy="{(i == 0 ? "0" : N(LineHeight))}">{Escape(lines[i])}</tspan>""");
        svg.Append("</text>");
    }

    static void HorizontalBarText(StringBuilder svg, (double X, double Y, double W, double H) r, string label, double textWidth, bool negative, bool stacked, string inside)
    {
        var y = r.Y + r.H / 2 + TickFont / 2 - 2;
        if (textWidth + 8 <= r.W && TickFont <= r.H)
            svg.Append(negative
                ? $"""<text x="{N(r.X + 4)}" y="{N(y)}" fill="{inside}">{label}</text>"""
                : $"""<text x="{N(r.X + r.W - 4)}" y="{N(y)}" text-anchor="end" fill="{inside}">{label}</text>""");
        else if (!stacked)
            svg.Append(negative
                ? $"""<text x="{N(r.X - 4)}" y="{N(y)}" text-anchor="end">{label}</text>"""
                : $"""<text x="{N(r.X + r.W + 4)}" y="{N(y)}">{label}</text>""");
    }

    static void VerticalBarText(StringBuilder svg, (double X, double Y, double W, double H) r, string label, double textWidth, bool negative, bool stacked, string inside)
    {
        var x = r.X + r.W / 2;
        if (textWidth + 4 <= r.W && LineHeight + 4 <= r.H)
            svg.Append($"""<text x="{N(x)}" y="{N(negative ? r.Y + r.H - 5 : r.Y + TickFont + 3)}" text-anchor="middle" fill="{inside}">{label}</text>""");
        else if (Math.Min(Math.Min(TickFont, r.W - 2), TickFont * (r.H - 8) / textWidth) is var upright && upright >= 8)
        {
            // Upright, reading downwards from the bar's end, shrunk to the bar if need be, as plotly turns text in a narrow bar.
            var (y, anchor) = negative ? (r.Y + r.H - 4, "end") : (r.Y + 4, "start");
            var size = upright < TickFont ? $" font-size=\"{N(upright)}\"" : "";
            svg.Append($"""<text x="{N(x)}" y="{N(y)}" text-anchor="{anchor}" dominant-baseline="central" fill="{inside}"{size} transform="rotate(90 {N(x)} {N(y)})">{label}</text>""");
        }
        else if (!stacked)
        {
            var size = Math.Min(TickFont, TickFont * (r.W + 6) / textWidth);
            if (size < 8) return;
            var y = negative ? r.Y + r.H + size + 3 : r.Y - 4;
            svg.Append($"""<text x="{N(x)}" y="{N(y)}" text-anchor="middle" font-size="{N(size)}">{label}</text>""");
        }
    }

    // One rectangle per cell; each carries its hover text as a tooltip.
    static void Heatmap(StringBuilder svg, Frame f, HeatmapMark map)
    {
        svg.Append("""<g class="trace heatmap" shape-rendering="crispEdges">""");
        var span = map.ZMax - map.ZMin;
        for (var row = 0; row < map.Z.Length; row++)
            for (var column = 0; column < map.Z[row].Length; column++)
            {
                var z = map.Z[row][column];
                if (!double.IsFinite(z)) continue;   // plotly leaves missing cells empty
                var (x0, x1) = (f.X.ToPixel(map.XAt[column] - 0.5), f.X.ToPixel(map.XAt[column] + 0.5));
                var (y0, y1) = (f.Y.ToPixel(map.YAt[row] - 0.5), f.Y.ToPixel(map.YAt[row] + 0.5));
                var color = map.Scale.At(span > 0 ? (z - map.ZMin) / span : 0.5);
                var values = new Dictionary<string, object?> { ["x"] = map.XNames[column], ["y"] = map.YNames[row], ["z"] = z };
                var tip = map.HoverTemplate is null ? $"x: {map.XNames[column]}\ny: {map.YNames[row]}\nz: {SvgText.Value(z)}" : HoverText.Fill(map.HoverTemplate, values);
                svg.Append($"""<rect class="cell" x="{N(Math.Min(x0, x1))}" y="{N(Math.Min(y0, y1))}" width="{N(Math.Abs(x1 - x0))}" height="{N(Math.Abs(y1 - y0))}" fill="{color}"><title>{Escape(tip)}</title></rect>""");
            }
        svg.Append("</g>");
    }

    // Tick labels outside the plot area and the axis titles beyond them (plotly draws no axis lines or tick marks by default).
    static void Axes(StringBuilder svg, Frame f, Layout layout)
    {
        svg.Append("""<g class="xaxis">""");
        foreach (var t in Readable(f.XTicks, f.X, 16))
        {
            var x = f.X.ToPixel(t.At);
            if (x < f.Left - 1 || x > f.Right + 1) continue;
            var (y, size) = (f.Bottom + 3, t.Minor ? MinorFont : TickFont);
            svg.Append(f.XLabelAngle switch
            {
                0 => $"""<text x="{N(x)}" y="{N(y + size)}" text-anchor="middle"{FontSize(t)}>{Escape(t.Label)}</text>""",
                _ => $"""<text x="{N(x)}" y="{N(y + 7)}" text-anchor="end" transform="rotate({N(f.XLabelAngle)} {N(x)} {N(y + 3)})">{Escape(t.Label)}</text>""",
            });
        }
        if (layout.XAxis.Title?.Text is { } xTitle)
            svg.Append($"""<text class="axis-title" x="{N(f.Left + f.PlotWidth / 2)}" y="{N(f.Bottom + 3 + f.XLabelDepth + AxisTitleFont + 8)}" text-anchor="middle" font-size="{N(AxisTitleFont)}">{Escape(xTitle)}</text>""");
        svg.Append("</g>");

        svg.Append("""<g class="yaxis">""");
        foreach (var t in Readable(f.YTicks, f.Y, MinorFont + 2))
        {
            var y = f.Y.ToPixel(t.At);
            if (y < f.Top - 1 || y > f.Bottom + 1) continue;
            svg.Append($"""<text x="{N(f.Left - 6)}" y="{N(y + (t.Minor ? MinorFont : TickFont) / 2 - 2)}" text-anchor="end"{FontSize(t)}>{Escape(t.Label)}</text>""");
        }
        if (layout.YAxis.Title?.Text is { } yTitle)
        {
            var (x, y) = (f.Left - 6 - f.YLabelWidth - 10, f.Top + f.PlotHeight / 2);
            svg.Append($"""<text class="axis-title" x="{N(x)}" y="{N(y)}" text-anchor="middle" font-size="{N(AxisTitleFont)}" transform="rotate(-90 {N(x)} {N(y)})">{Escape(yTitle)}</text>""");
        }
        svg.Append("</g>");
    }

    /// <summary>The ticks worth a label: every major one, and minor ones (a log axis's digits) that keep clear of the others.</summary>
    static IEnumerable<Tick> Readable(IReadOnlyList<Tick> ticks, AxisScale axis, double clearance)
    {
        var taken = ticks.Where(t => !t.Minor).Select(t => axis.ToPixel(t.At)).ToList();
        foreach (var t in ticks)
        {
            if (t.Minor)
            {
                var at = axis.ToPixel(t.At);
                if (taken.Any(p => Math.Abs(p - at) < clearance)) continue;
                taken.Add(at);
            }
            yield return t;
        }
    }

    static string FontSize(Tick t) => t.Minor ? $" font-size=\"{N(MinorFont)}\"" : "";

    // plotly's legend: top right, outside the plot, a sample of each trace's line, dot or bar beside its name.
    static void Legend(StringBuilder svg, Frame f, IReadOnlyList<LegendEntry> entries)
    {
        var x = f.Right + 12 + f.ColorBarWidth;
        svg.Append("""<g class="legend">""");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var (y, color) = (f.Top + 10 + i * 20, Escape(entry.Color));
            if (entry.Symbol.StartsWith("line"))
            {
                var dash = DashArray(entry.Dash, entry.Width) is { } a ? $" stroke-dasharray=\"{a}\"" : "";
                svg.Append($"""<line x1="{N(x + 5)}" x2="{N(x + 35)}" y1="{N(y)}" y2="{N(y)}" stroke="{color}" stroke-width="{N(entry.Width)}"{dash}/>""");
            }
            if (entry.Symbol.EndsWith("dot"))
                svg.Append($"""<circle cx="{N(x + 20)}" cy="{N(y)}" r="3" fill="{color}"/>""");
            if (entry.Symbol == "box")
                svg.Append($"""<rect x="{N(x + 14)}" y="{N(y - 6)}" width="12" height="12" fill="{color}"/>""");
            svg.Append($"""<text x="{N(x + 40)}" y="{N(y + TickFont / 2 - 2)}">{Escape(Fit(entry.Name, TickFont, f.Width * 0.25))}</text>""");
        }
        svg.Append("</g>");
    }

    // The colour bar beside a heatmap: the scale as a gradient, low at the bottom, with its ticks.
    static void ColorBar(StringBuilder svg, Frame f, HeatmapMark map, string id)
    {
        if (f.ColorAxis is not { } axis) return;
        var x = f.Right + 14;
        svg.Append($"""<g class="colorbar"><defs><linearGradient id="{id}-scale" x1="0" y1="1" x2="0" y2="0">""");
        foreach (var (at, color) in map.Scale.Stops)
            svg.Append($"""<stop offset="{N(100 * at)}%" stop-color="{color}"/>""");
        var (top, bottom) = (axis.ToPixel(map.ZMax), axis.ToPixel(map.ZMin));
        svg.Append($"""</linearGradient></defs><rect x="{N(x)}" y="{N(top)}" width="16" height="{N(bottom - top)}" fill="url(#{id}-scale)"/>""");
        foreach (var t in axis.Ticks())
        {
            var y = axis.ToPixel(t.At);
            if (y < Math.Min(top, bottom) - 1 || y > Math.Max(top, bottom) + 1) continue;
            svg.Append($"""<text x="{N(x + 16 + 4)}" y="{N(y + TickFont / 2 - 2)}">{Escape(t.Label)}</text>""");
        }
        svg.Append("</g>");
    }
}
