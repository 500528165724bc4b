using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace LlmCourse.Notebooks.Formatting;

/// <summary>
/// Turns a cell's value into a mime bundle with the MIME types the .NET Interactive kernel gives it:
/// convention-based formatters first (see <see cref="ConventionFormatters"/>), in the source's preferred
/// MIME types or else the kernel's default, text/html; strings as text/plain; everything else as
/// text/html only.
/// </summary>
/// <remarks>
/// For values without a formatter of their own the kernel draws collapsible trees and <c>&lt;pre&gt;</c>
/// lists; this runner draws plain tables instead, marked with <see cref="DefaultFormatClass"/>. The MIME
/// types agree, the HTML does not, so the course's notebooks show such values through course views
/// (LlmCourse.Visuals) and a test checks that none of their outputs carries the marker.
/// </remarks>
public static class ValueFormatter
{
    const int MaxItems = 20;
    const string DefaultMimeType = "text/html";

    /// <summary>Marks HTML this runner made for a value without a formatter (where its HTML differs from the kernel's).</summary>
    public const string DefaultFormatClass = "llmcourse-default-format";

    /// <param name="mimeTypes">Restrict the bundle to these, as <c>display(value, "text/html")</c> does.</param>
    public static IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyList<string>? mimeTypes = null)
    {
        var bundle = new Dictionary<string, string>();
        if (value is not null && ConventionFormatters.For(value.GetType()) is { } source)
        {
            var wanted = mimeTypes is { Count: > 0 } ? mimeTypes
                : source.PreferredMimeTypes.Count > 0 ? source.PreferredMimeTypes
                : [DefaultMimeType];
            foreach (var f in source.Formatters)
            {
                if (!wanted.Contains(f.MimeType) || bundle.ContainsKey(f.MimeType)) continue;
                if (f.Type is not null && !f.Type.IsInstanceOfType(value)) continue;
                var writer = new StringWriter(CultureInfo.InvariantCulture);
                if (f.Format(value, writer)) bundle[f.MimeType] = writer.ToString();
            }
            if (bundle.Count > 0) return bundle;
        }

        var mime = mimeTypes is { Count: > 0 } ? mimeTypes[0] : value is string ? "text/plain" : DefaultMimeType;
        bundle[mime] = mime == "text/html" ? DefaultHtml(value) : Plain(value);
        return bundle;
    }

    static string DefaultHtml(object? value) =>
        $"<div class=\"{DefaultFormatClass}\">{(value is null ? null : Html(value)) ?? $"<pre>{E(Plain(value))}</pre>"}</div>";

    /// <summary>Plain text as the kernel shows it: ToString for simple values, [ a, b ] for sequences.</summary>
    public static string Plain(object? value, int depth = 0) => value switch
    {
        null => "<null>",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e when depth < 2 => PlainSequence(e, depth),
        _ when HasOwnToString(value.GetType()) => value.ToString() ?? "",
        _ when depth < 2 && Members(value.GetType()).Count > 0 =>
            $"{value.GetType().Name} {{ {string.Join(", ", Members(value.GetType()).Select(m => $"{m.Name} = {Plain(m.Get(value), depth + 1)}"))} }}",
        _ => value.ToString() ?? "",
    };

    static string PlainSequence(IEnumerable sequence, int depth)
    {
        var items = sequence.Cast<object?>().Take(MaxItems + 1).ToList();
        var shown = items.Take(MaxItems).Select(i => Plain(i, depth + 1));
        return "[ " + string.Join(", ", shown) + (items.Count > MaxItems ? ", ..." : "") + " ]";
    }

    /// <summary>An HTML table for an object's properties or a sequence's items; null for simple values.</summary>
    static string? Html(object value)
    {
        if (IsSimple(value.GetType())) return null;
        if (value is IDictionary dictionary) return DictionaryTable(dictionary);
        if (value is IEnumerable sequence) return SequenceTable(sequence);
        var members = Members(value.GetType());
        if (members.Count == 0) return null;
        var sb = new StringBuilder("<table><thead><tr>");
        foreach (var m in members) sb.Append("<th>").Append(E(m.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody><tr>");
        foreach (var m in members) sb.Append("<td>").Append(E(Plain(m.Get(value), 1))).Append("</td>");
        return sb.Append("</tr></tbody></table>").ToString();
    }

    /// <summary>Keys and values, as the kernel shows a dictionary.</summary>
    static string DictionaryTable(IDictionary dictionary)
    {
        var sb = new StringBuilder("<table><thead><tr><th><i>key</i></th><th>value</th></tr></thead><tbody>");
        int shown = 0;
        foreach (DictionaryEntry entry in dictionary)
        {
            if (shown++ == MaxItems) { sb.Append("<tr><td colspan=\"2\"><i>(more items not shown)</i></td></tr>"); break; }
            sb.Append("<tr><td>").Append(E(Plain(entry.Key, 1))).Append("</td><td>").Append(E(Plain(entry.Value, 1))).Append("</td></tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    static string SequenceTable(IEnumerable sequence)
    {
        var items = sequence.Cast<object?>().Take(MaxItems + 1).ToList();
        var elementType = items.FirstOrDefault(i => i is not null)?.GetType();
        var members = elementType is null || IsSimple(elementType) || typeof(IEnumerable).IsAssignableFrom(elementType)
            ? [] : Members(elementType);

        var sb = new StringBuilder("<table><thead><tr><th><i>index</i></th>");
        if (members.Count == 0) sb.Append("<th>value</th>");
        foreach (var m in members) sb.Append("<th>").Append(E(m.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var (item, i) in items.Take(MaxItems).Select((item, i) => (item, i)))
        {
            sb.Append("<tr><td>").Append(i).Append("</td>");
            if (members.Count == 0 || item is null || item.GetType() != elementType)
                sb.Append("<td>").Append(E(Plain(item, 1))).Append("</td>");
            else
                foreach (var m in members) sb.Append("<td>").Append(E(Plain(m.Get(item), 1))).Append("</td>");
            sb.Append("</tr>");
        }
        if (items.Count > MaxItems)
            sb.Append("<tr><td colspan=\"").Append(Math.Max(2, members.Count + 1)).Append("\"><i>(more items not shown)</i></td></tr>");
        return sb.Append("</tbody></table>").ToString();
    }

    sealed record Member(string Name, Func<object, object?> Get);

    static IReadOnlyList<Member> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && p.Name != "EqualityContract")
            .Select(p => new Member(p.Name, o => Safe(() => p.GetValue(o))))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance)
                .Select(f => new Member(f.Name, o => Safe(() => f.GetValue(o)))))
            .ToList();

    static object? Safe(Func<object?> get)
    {
        try { return get(); }
        catch (Exception e) { return $"<{(e is TargetInvocationException { InnerException: { } inner } ? inner : e).GetType().Name}>"; }
    }

    static bool IsSimple(Type t) => t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) ||
        typeof(IFormattable).IsAssignableFrom(t) || t == typeof(Type) || t.IsPointer;

    static bool HasOwnToString(Type t) =>
        t.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType is { } d && d != typeof(object) && d != typeof(ValueType);

    static string E(string s) => WebUtility.HtmlEncode(s);
}
