using System.Collections.Concurrent;
using System.Reflection;

namespace LlmCourse.Notebooks.Formatting;

/// <summary>
/// The .NET Interactive kernel's convention-based formatters, found by name so that no kernel package
/// is needed: a type (or a base class) carrying an attribute named <c>TypeFormatterSourceAttribute</c>
/// names a source type whose <c>CreateTypeFormatters()</c> returns formatters, each with a
/// <c>MimeType</c>, an optional <c>Type</c>, and one <c>bool Format(object, TextWriter)</c>.
/// TorchSharp's tensors and the course library's views both use it.
/// </summary>
internal static class ConventionFormatters
{
    internal sealed record Formatter(string MimeType, Type? Type, Func<object, TextWriter, bool> Format);

    internal sealed record Source(IReadOnlyList<Formatter> Formatters, IReadOnlyList<string> PreferredMimeTypes);

    static readonly ConcurrentDictionary<Type, Source?> Cache = new();

    /// <summary>The formatter source for a type, or null when it follows no convention.</summary>
    public static Source? For(Type type) => Cache.GetOrAdd(type, Discover);

    static Source? Discover(Type type)
    {
        var attribute = type.GetCustomAttributes(inherit: true)
            .FirstOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        if (attribute is null) return null;

        var attributeType = attribute.GetType();
        if (attributeType.GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) return null;
        var preferred = attributeType.GetProperty("PreferredMimeTypes")?.GetValue(attribute) as string[] ?? [];

        var source = Activator.CreateInstance(sourceType);
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        if (source is null || create?.Invoke(source, null) is not System.Collections.IEnumerable formatters) return null;

        var found = new List<Formatter>();
        foreach (var formatter in formatters)
        {
            var t = formatter.GetType();
            var mime = t.GetProperty("MimeType")?.GetValue(formatter) as string;
            var format = t.GetMethods(BindingFlags.Public | BindingFlags.Instance).SingleOrDefault(m =>
                m.Name == "Format" && m.ReturnType == typeof(bool) &&
                m.GetParameters() is [{ ParameterType: var p0 }, { ParameterType: var p1 }] &&
                p0 == typeof(object) && p1 == typeof(TextWriter));
            if (mime is null || format is null) continue;
            var forType = t.GetProperty("Type")?.GetValue(formatter) as Type;
            found.Add(new Formatter(mime, forType, (value, writer) => (bool)format.Invoke(formatter, [value, writer])!));
        }
        return found.Count == 0 ? null : new Source(found, preferred);
    }
}
