using System.Globalization;

namespace LlmCourse.Visuals.Svg;

/// <summary>How plotly reads a coordinate: a number (numbers, and text that parses as one) or a category name.</summary>
internal static class PlotValues
{
    public static bool TryNumber(object? value, out double number)
    {
        number = value switch
        {
            null => double.NaN,
            double d => d,
            float f => f,
            decimal m => (double)m,
            byte or sbyte or short or ushort or int or uint or long or ulong => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
        return value is not null && (value is not string || !double.IsNaN(number));
    }

    /// <summary>A value that is not a number: plotly lays the axis out as categories.</summary>
    public static bool IsCategory(object? value) => value is not null && !TryNumber(value, out _);

    public static string Name(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The number, or NaN for a missing or non-numeric value (drawn as a gap).</summary>
    public static double Number(object? value) => TryNumber(value, out var d) ? d : double.NaN;
}
