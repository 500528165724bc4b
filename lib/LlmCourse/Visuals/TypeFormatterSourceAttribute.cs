namespace LlmCourse.Visuals;

/// <summary>
/// The formatter convention of .NET Interactive (Polyglot Notebooks): the kernel looks for an attribute
/// with exactly this name on a value's type (or a base class) and asks <see cref="FormatterSourceType"/>
/// for formatters. Matching by name means the library needs no kernel package, and the course's
/// headless runner honours the same convention, so one mechanism renders in both places.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;
    public string[] PreferredMimeTypes { get; set; } = [];
}
