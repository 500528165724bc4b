using System.Globalization;

namespace LlmCourse.Visuals.Svg;

internal enum AxisKind { Linear, Log, Category }

/// <summary>A tick: where it sits (in axis units) and what it says; minor ticks (a log axis's 2, 5) get smaller labels.</summary>
internal readonly record struct Tick(double At, string Label, bool Minor = false);

/// <summary>
/// What the data asks of one axis before its length is known: the smallest and largest values it must show, each
/// with the room to keep beyond it (a fraction of the axis length, as plotly pads scatter data by 5%, plus
/// pixels, e.g. a marker's radius). Values are in axis units: log10 of the value on a log axis, the category's
/// index on a category axis.
/// </summary>
internal sealed class AxisExtent
{
    public (double At, double Fraction, double Pixels)? Low { get; private set; }
    public (double At, double Fraction, double Pixels)? High { get; private set; }

    public void Include(double at, double padFraction = 0, double padPixels = 0)
    {
        if (!double.IsFinite(at)) return;
        if (Low is not { } low || at < low.At || (at == low.At && padFraction + padPixels > low.Fraction + low.Pixels)) Low = (at, padFraction, padPixels);
        if (High is not { } high || at > high.At || (at == high.At && padFraction + padPixels > high.Fraction + high.Pixels)) High = (at, padFraction, padPixels);
    }
}

/// <summary>
/// One axis of the picture: maps axis units to pixels and places ticks the way plotly does, so the static picture
/// reads like the interactive chart. Linear axes get "nice" steps (2, 5 or 10 times a power of ten), log axes a
/// tick per decade (with 2 and 5, or every digit, between them when there is room), category axes one per
/// category (thinned when they would crowd).
/// </summary>
internal sealed class AxisScale
{
    AxisScale(AxisKind kind, IReadOnlyList<string> categories, double min, double max, double pixelStart, double pixelEnd, bool isX)
    {
        (Kind, Categories, Min, Max, PixelStart, PixelEnd, IsX) = (kind, categories, min, max, pixelStart, pixelEnd, isX);
    }

    public AxisKind Kind { get; }
    public IReadOnlyList<string> Categories { get; }
    /// <summary>The visible range, in axis units.</summary>
    public double Min { get; }
    public double Max { get; }
    /// <summary>Where <see cref="Min"/> and <see cref="Max"/> land; a reversed axis has them swapped.</summary>
    public double PixelStart { get; }
    public double PixelEnd { get; }
    public bool IsX { get; }
    public double Length => Math.Abs(PixelEnd - PixelStart);

    /// <summary>
    /// Fits the range to the data: <paramref name="pixelStart"/> and <paramref name="pixelEnd"/> are the plot area's
    /// edges in the direction values grow (left to right for x; bottom to top for y, unless reversed).
    /// </summary>
    public static AxisScale Fit(AxisKind kind, IReadOnlyList<string> categories, AxisExtent extent, double pixelStart, double pixelEnd, bool isX)
    {
        var length = Math.Abs(pixelEnd - pixelStart);
        double min, max;
        if (kind == AxisKind.Category)
            (min, max) = (-0.5, Math.Max(categories.Count, 1) - 0.5);
        else if (extent is { Low: { } low, High: { } high })
        {
            (min, max) = (low.At, high.At);
            if (max - min < 1e-12 * Math.Max(1, Math.Abs(max))) (min, max) = (min - 1, max + 1);   // one value: plotly shows ±1 around it
            // Keep the asked-for room beyond the data: solve for the scale that leaves it at both ends.
            double padLow = low.Fraction * length + low.Pixels, padHigh = high.Fraction * length + high.Pixels;
            var usable = length - padLow - padHigh;
            if (usable > length * 0.3)
            {
                var pixelsPerUnit = usable / (max - min);
                (min, max) = (min - padLow / pixelsPerUnit, max + padHigh / pixelsPerUnit);
            }
        }
        else
            (min, max) = isX ? (-1, 6) : (-1, 4);   // no data yet (a live chart before its first point): plotly's empty axes
        return new AxisScale(kind, categories, min, max, pixelStart, pixelEnd, isX);
    }

    public double ToPixel(double at) => PixelStart + (at - Min) / (Max - Min) * (PixelEnd - PixelStart);

    public bool Contains(double at) => at >= Math.Min(Min, Max) - 1e-9 && at <= Math.Max(Min, Max) + 1e-9;

    /// <summary>The ticks to draw; <paramref name="labelSize"/> is the room one label needs along the axis (pixels).</summary>
    public IReadOnlyList<Tick> Ticks(double labelSize = 0) => Kind switch
    {
        AxisKind.Category => CategoryTicks(labelSize),
        AxisKind.Log => LogTicks(),
        _ => LinearTicks(),
    };

    IReadOnlyList<Tick> CategoryTicks(double labelSize)
    {
        var spacing = Length / Math.Max(Categories.Count, 1);
        var every = labelSize <= 0 ? 1 : Math.Max(1, (int)Math.Ceiling(labelSize / spacing));
        return Categories.Select((name, i) => new Tick(i, name)).Where(t => (int)t.At % every == 0).ToList();
    }

    /// <summary>plotly's tick count: about one per 80 px on x and per 40 px on y, 5 to 10 of them.</summary>
    double TickCount => Math.Clamp(Length / (IsX ? 80 : 40), 4, 9) + 1;

    IReadOnlyList<Tick> LinearTicks()
    {
        var step = NiceStep((Max - Min) / TickCount);
        var (lo, hi) = (Math.Min(Min, Max), Math.Max(Min, Max));
        var scale = SiScale(Math.Max(Math.Abs(lo), Math.Abs(hi)));
        var decimals = Decimals(step / scale.Factor);
        var ticks = new List<Tick>();
        for (var k = Math.Ceiling(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++)
        {
            var at = k * step;
            if (Math.Abs(at) < step * 1e-9) at = 0;
            ticks.Add(new Tick(at, Label(at, decimals, scale)));
        }
        return ticks;
    }

    /// <summary>plotly's rounding of a rough step: up to 2, 5 or 10 times its power of ten.</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough)) return 1;
        var @base = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var mantissa = rough / @base;
        return @base * (mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10);
    }

    /// <summary>Decimals a step needs to show exactly (0.25 needs 2, 5 needs 0).</summary>
    static int Decimals(double step)
    {
        for (var d = 0; d < 12; d++)
        {
            var scaled = step * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, scaled)) return d;
        }
        return 12;
    }

    // plotly abbreviates large numbers with SI suffixes ("20k", "1.5M") once they reach five digits.
    static (double Factor, string Suffix) SiScale(double largest) =>
        largest >= 1e12 ? (1e12, "T") : largest >= 1e9 ? (1e9, "G") : largest >= 1e6 ? (1e6, "M") : largest >= 1e4 ? (1e3, "k") : (1, "");

    // Only the decimals the step needs, and no trailing zeros: 0, 0.5, 1, 1.5 (as plotly writes them).
    static string Label(double value, int decimals, (double Factor, string Suffix) scale)
    {
        var text = (value / scale.Factor).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        return SvgText.Minus(text) + (value == 0 ? "" : scale.Suffix);
    }

    /// <summary>
    /// plotly's log ticks: labelled decades (1, 10, 100, 1000, 10k), every few decades when they crowd; with room to
    /// spare, 2 and 5 between them, and with more room every digit, those written small.
    /// </summary>
    IReadOnlyList<Tick> LogTicks()
    {
        var (lo, hi) = (Math.Min(Min, Max), Math.Max(Min, Max));
        var rough = (hi - lo) / TickCount;
        var every = rough > 0.7 ? Math.Max(1, (int)Math.Ceiling(rough)) : 1;
        int[] between = rough > 0.7 ? [] : rough > 0.3 ? [2, 5] : [2, 3, 4, 5, 6, 7, 8, 9];
        var ticks = new List<Tick>();
        for (var d = Math.Floor(lo); d <= hi; d++)
        {
            if (d >= lo - 1e-9 && (long)d % every == 0) ticks.Add(new Tick(d, LogLabel(d)));
            foreach (var digit in between)
                if (d + Math.Log10(digit) is var at && at >= lo && at <= hi)
                    ticks.Add(new Tick(at, digit.ToString(CultureInfo.InvariantCulture), Minor: true));
        }
        return ticks;
    }

    static string LogLabel(double exponent)
    {
        var value = Math.Pow(10, exponent);
        if (value >= 1e4) { var (factor, suffix) = SiScale(value); return (value / factor).ToString("0.#", CultureInfo.InvariantCulture) + suffix; }
        if (value >= 1e-4) return value.ToString("0.####", CultureInfo.InvariantCulture);
        return value.ToString("0.#e0", CultureInfo.InvariantCulture).Replace('-', '−');
    }
}
