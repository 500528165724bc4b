using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmCourse.Visuals.Svg;

/// <summary>
/// plotly's hover templates ("%{y} attends to %{x}: %{z:.2f}") filled in for the static picture's tooltips, which
/// a browser shows on hover even with scripts off. Covers the d3 number formats the course uses: ".2f", ".1%", ",".
/// </summary>
internal static partial class HoverText
{
    public static string Fill(string template, IReadOnlyDictionary<string, object?> values)
    {
        var text = ExtraBox().Replace(template, "").Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase);
        return Field().Replace(text, m =>
            values.TryGetValue(m.Groups["name"].Value, out var value)
                ? m.Groups["format"].Success && PlotValues.TryNumber(value, out var number) && value is not string
                    ? Format(number, m.Groups["format"].Value)
                    : value is double d ? SvgText.Value(d) : PlotValues.Name(value)
                : m.Value);
    }

    static string Format(double value, string spec)
    {
        var m = Spec().Match(spec);
        if (!m.Success) return SvgText.Value(value);
        var precision = m.Groups["precision"].Success ? int.Parse(m.Groups["precision"].Value, CultureInfo.InvariantCulture) : 6;
        var grouping = m.Groups["comma"].Success;
        return SvgText.Minus(m.Groups["type"].Value switch
        {
            "f" => value.ToString((grouping ? "N" : "F") + precision, CultureInfo.InvariantCulture),
            "%" => (value * 100).ToString((grouping ? "N" : "F") + precision, CultureInfo.InvariantCulture) + "%",
            "d" => Math.Round(value).ToString(grouping ? "N0" : "F0", CultureInfo.InvariantCulture),
            "e" => value.ToString("0." + new string('0', precision) + "e+0", CultureInfo.InvariantCulture),
            _ => grouping ? value.ToString("#,0.####", CultureInfo.InvariantCulture) : SvgText.Value(value),
        });
    }

    [GeneratedRegex(@"<extra>.*?</extra>", RegexOptions.Singleline)]
    private static partial Regex ExtraBox();

    [GeneratedRegex(@"%\{(?<name>[a-z]+)(?::(?<format>[^}]*))?\}")]
    private static partial Regex Field();

    [GeneratedRegex(@"^(?<comma>,)?(?:\.(?<precision>\d+))?(?<type>[a-z%]?)$")]
    private static partial Regex Spec();
}
