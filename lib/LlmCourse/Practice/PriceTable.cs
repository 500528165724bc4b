using System.Globalization;
using LlmCourse.Data;
using LlmCourse.Visuals;

namespace LlmCourse.Practice;

/// <summary>
/// Hosted models' token prices, from <c>data/prices.tsv</c>: one model a line, each price with the date it was read and
/// the page it was read from. Prices change; the file is plain text so that updating it is editing one line.
/// </summary>
/// <example>
/// <code>
/// var prices = PriceTable.Shipped();
/// prices["gpt-4o-mini"].Cost(inputTokens: 1_200, outputTokens: 300)                  // dollars for one request
/// prices.Estimate(new UsagePattern(requestsPerDay: 1_000, inputTokens: 1_200, outputTokens: 300))   // a table, cheapest first
/// </code>
/// </example>
public sealed class PriceTable : HtmlView
{
    public const string RelativePath = "prices.tsv";

    /// <summary>The columns, in order, as the file's header names them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["model", "provider", "input_usd_per_million", "output_usd_per_million", "context_tokens", "date", "source"];

    public PriceTable(IEnumerable<ModelPrice> prices)
    {
        Prices = [.. prices];
        var duplicate = Prices.GroupBy(p => p.Model, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"The model '{duplicate.Key}' is priced twice.", nameof(prices));
    }

    public IReadOnlyList<ModelPrice> Prices { get; }

    /// <summary>The price table the course ships, data/prices.tsv.</summary>
    public static PriceTable Shipped() => Load(CourseData.PathOf(RelativePath));

    /// <summary>Reads a price file: a header line with <see cref="Columns"/>, then tab-separated rows; blank lines and lines starting with # are skipped.</summary>
    public static PriceTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The price table {path} does not exist.", path);
        return Parse(File.ReadAllLines(path), path);
    }

    /// <summary>The same, from lines of text; <paramref name="source"/> names them in errors.</summary>
    public static PriceTable Parse(IEnumerable<string> lines, string source = "prices")
    {
        var rows = new List<ModelPrice>();
        var header = false;
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var cells = line.Split('\t').Select(c => c.Trim()).ToArray();
            string Where() => $"{source}, line {number}";
            if (!header)
            {
                if (!cells.SequenceEqual(Columns))
                    throw new FormatException($"{Where()}: the header must be the tab-separated columns {string.Join(", ", Columns)}.");
                header = true;
                continue;
            }
            if (cells.Length != Columns.Count)
                throw new FormatException($"{Where()}: {cells.Length} tab-separated cells; a row needs {Columns.Count} ({string.Join(", ", Columns)}).");
            decimal Price(int i) => decimal.TryParse(cells[i], NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= 0 ? d
                : throw new FormatException($"{Where()}: {Columns[i]} must be a number of dollars such as 2.50; got '{cells[i]}'.");
            int? context = cells[4].Length == 0 ? null
                : int.TryParse(cells[4], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0 ? c
                : throw new FormatException($"{Where()}: context_tokens must be a whole number of tokens (or empty); got '{cells[4]}'.");
            var date = DateOnly.TryParseExact(cells[5], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new FormatException($"{Where()}: date must be written yyyy-mm-dd; got '{cells[5]}'.");
            if (!Uri.TryCreate(cells[6], UriKind.Absolute, out var url) || url.Scheme != "https")
                throw new FormatException($"{Where()}: source must be the https:// address of the pricing page; got '{cells[6]}'.");
            if (cells[0].Length == 0 || cells[1].Length == 0)
                throw new FormatException($"{Where()}: model and provider must not be empty.");
            rows.Add(new ModelPrice(cells[0], cells[1], Price(2), Price(3), context, date, cells[6]));
        }
        if (!header) throw new FormatException($"{source}: no header line; the first line must be the columns {string.Join(", ", Columns)}.");
        return new PriceTable(rows);
    }

    /// <summary>The price of <paramref name="model"/>; an unknown name gets an error listing the known ones.</summary>
    public ModelPrice this[string model] =>
        Prices.FirstOrDefault(p => string.Equals(p.Model, model, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"There is no price for '{model}'. Priced models: {string.Join(", ", Prices.Select(p => p.Model))}.");

    /// <summary>What <paramref name="usage"/> costs with each model, cheapest first.</summary>
    public CostTable Estimate(UsagePattern usage) => new(usage, [.. Prices.Select(p => p.Estimate(usage)).OrderBy(e => e.PerMonth)]);

    Table View => Table.Of(Prices.Select(p => new
    {
        model = p.Model, provider = p.Provider,
        input_per_million = Dollars(p.InputPerMillion), output_per_million = Dollars(p.OutputPerMillion),
        context = p.ContextWindow is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) : "",
        as_of = p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), source = p.Source,
    }));

    public override string ToHtml() => View.ToHtml();
    public override string ToText() => View.ToText();

    /// <summary>Dollars as a reader wants them: cents from a cent up ("$1,234.50", "$0.65"), three significant digits below ("$0.000654").</summary>
    public static string Dollars(decimal amount)
    {
        if (amount == 0) return "$0";
        if (Math.Abs(amount) >= 0.01m) return "$" + Math.Round(amount, 2).ToString("N2", CultureInfo.InvariantCulture);
        var decimals = Math.Min(20, 2 - (int)Math.Floor(Math.Log10((double)Math.Abs(amount))));
        return "$" + Math.Round(amount, decimals).ToString("0.####################", CultureInfo.InvariantCulture);
    }
}

/// <summary>One usage pattern priced with every model.</summary>
public sealed class CostTable(UsagePattern usage, IReadOnlyList<CostEstimate> estimates) : HtmlView
{
    public UsagePattern Usage { get; } = usage;
    public IReadOnlyList<CostEstimate> Estimates { get; } = estimates;

    Table View => Table.Of(Estimates.Select(e => new
    {
        model = e.Model, provider = e.Provider,
        per_request = PriceTable.Dollars(e.PerRequest), per_day = PriceTable.Dollars(e.PerDay), per_month = PriceTable.Dollars(e.PerMonth),
    }));

    public override string ToHtml() => $"<div style=\"font-size:13px;margin-bottom:4px\">{Escape(Usage.ToString())}</div>" + View.ToHtml();
    public override string ToText() => Usage + "\n" + View.ToText();
}
