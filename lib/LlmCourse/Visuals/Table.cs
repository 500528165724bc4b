using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace LlmCourse.Visuals;

/// <summary>
/// Rows of records or anonymous objects as a table, one column per property:
/// <c>Table.Of(seeds.Select(s => new { seed = s, text = lm.Generate(prompt, 40, seed: s) }))</c>.
/// Text keeps its line breaks, so generated documents read as they were written.
/// </summary>
/// <remarks>
/// A cell could end with the sequence itself, but the kernel draws such values as collapsible trees and
/// the runner as plain tables; a course view looks the same in both, and on GitHub.
/// </remarks>
public sealed class Table : HtmlView
{
    readonly IReadOnlyList<string> _columns;
    readonly IReadOnlyList<IReadOnlyList<string>> _rows;

    public Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        _columns = columns;
        _rows = rows.ToList();
        if (_rows.FirstOrDefault(r => r.Count != columns.Count) is { } bad)
            throw new ArgumentException($"Every row needs {columns.Count} cells ({string.Join(", ", columns)}); one has {bad.Count}.", nameof(rows));
    }

    public IReadOnlyList<string> Columns => _columns;
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>One row per item, one column per public property (or field) of the item's type.</summary>
    public static Table Of<T>(IEnumerable<T> items)
    {
        var members = Members(typeof(T));
        if (members.Count == 0)   // plain values: one column
            return new Table(["value"], items.Select(i => (IReadOnlyList<string>)[Cell(i)]));
        return new Table(members.Select(m => m.Name).ToList(),
            items.Select(i => (IReadOnlyList<string>)members.Select(m => Cell(i is null ? null : m.Get(i))).ToList()));
    }

    /// <summary>One object's properties as name/value rows, e.g. a model's config at a glance.</summary>
    public static Table Fields(object record) =>
        new(["", "value"], Members(record.GetType()).Select(m => (IReadOnlyList<string>)[m.Name, Cell(m.Get(record))]));

    /// <summary>How a value reads in a cell: numbers invariant (no thousands separator added), sequences joined, null empty.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        string s => s,
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => string.Join(", ", e.Cast<object?>().Select(Cell)),
        _ => value.ToString() ?? "",
    };

    public override string ToHtml()
    {
        const string cell = "padding:3px 12px 3px 0;text-align:left;vertical-align:top;border-bottom:1px solid #eee;white-space:pre-wrap;";
        var sb = new StringBuilder("<table style=\"border-collapse:collapse;font-size:13px\"><thead><tr>");
        foreach (var c in _columns) sb.Append("<th style=\"").Append(cell).Append("\">").Append(Escape(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in _rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append("<td style=\"").Append(cell).Append("\">").Append(Escape(c)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>Columns separated by " | ", one row a line; line breaks inside a cell shown as ↵.</summary>
    public override string ToText() =>
        string.Join("\n", new[] { _columns }.Concat(_rows).Select(r => string.Join(" | ", r.Select(c => c.Replace("\n", "↵")))));

    sealed record Member(string Name, Func<object, object?> Get);

    static IReadOnlyList<Member> Members(Type type)
    {
        if (type == typeof(string) || type.IsPrimitive || typeof(IFormattable).IsAssignableFrom(type) || typeof(IEnumerable).IsAssignableFrom(type))
            return [];
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Member(p.Name, p.GetValue))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => new Member(f.Name, f.GetValue)))
            .ToList();
    }
}
