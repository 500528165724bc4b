using System.Reflection;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace LlmCourse.Tests.Visuals;

/// <summary>
/// Builds reference charts with Plotly.NET's own typed API (Trace2DStyle.Scatter, LinearAxis.init, ...), the way an
/// F# user would. Those functions take dozens of optional F# arguments and up to 19 generic parameters, which C#
/// can neither leave out nor infer; <see cref="Call"/> takes the arguments by name from an anonymous object, wraps
/// each in an F# option, leaves the rest (and any given as null) None, and infers the generic parameters from the values given.
/// </summary>
internal static class PlotlyNet
{
    /// <summary>A trace of <paramref name="type"/> styled by <c>Trace2DStyle.<paramref name="style"/>(arguments)</c>.</summary>
    public static Trace2D Trace(string type, string style, object arguments)
    {
        var apply = Call(typeof(Trace2DStyle), style, arguments);
        return (Trace2D)apply.GetType().GetMethod("Invoke")!.Invoke(apply, [new Trace2D(type)])!;
    }

    /// <summary>The figure's JSON as Plotly.NET writes it: <c>{"data": [...], "layout": {...}, "frames": []}</c>.</summary>
    public static JsonNode Figure(Layout layout, params Trace[] traces) =>
        JsonNode.Parse(GenericChart.toFigureJson(GenericChart.addLayout(layout, GenericChart.ofTraceObjects(false, traces))))!;

    public static object Call(Type type, string method, object arguments)
    {
        var given = arguments.GetType().GetProperties().Where(p => p.GetValue(arguments) is not null).ToDictionary(p => p.Name, p => p.GetValue(arguments)!);
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == method && m.GetParameters().All(p => IsOption(p.ParameterType))).ToList();
        var target = candidates.Single();
        var unknown = given.Keys.Except(target.GetParameters().Select(p => p.Name!)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"{type.Name}.{method} has no parameter {string.Join(", ", unknown)}");

        var bound = new Dictionary<Type, Type>();
        foreach (var p in target.GetParameters())
            if (given.TryGetValue(p.Name!, out var value)) Unify(p.ParameterType.GetGenericArguments()[0], value.GetType(), bound);
        var generics = target.GetGenericArguments();
        // A bound parameter may pin others through its constraints (Z: seq<'a> binds 'a from Z's element type).
        foreach (var g in generics.Where(bound.ContainsKey).ToList())
            foreach (var constraint in g.GetGenericParameterConstraints()) Unify(constraint, bound[g], bound);
        // The rest are unused: any type meeting their constraints will do.
        foreach (var g in generics.Where(g => !bound.ContainsKey(g)))
            bound[g] = new[] { typeof(int), typeof(Trace2D), typeof(int[]) }
                .First(c => g.GetGenericParameterConstraints().All(k => Substitute(k, bound) is { } s && s.IsAssignableFrom(c)));

        var closed = generics.Length == 0 ? target : target.MakeGenericMethod(generics.Select(g => bound[g]).ToArray());
        var values = closed.GetParameters()
            .Select(p => given.TryGetValue(p.Name!, out var v) ? p.ParameterType.GetMethod("Some")!.Invoke(null, [v]) : null).ToArray();
        return closed.Invoke(null, values)!;
    }

    static bool IsOption(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Microsoft.FSharp.Core.FSharpOption<>);

    static Type? Substitute(Type t, Dictionary<Type, Type> bound) =>
        t.IsGenericParameter ? bound.GetValueOrDefault(t)
        : t.IsGenericType && t.ContainsGenericParameters
            ? t.GetGenericArguments().Select(a => Substitute(a, bound)).ToArray() is var args && args.All(a => a is not null)
                ? t.GetGenericTypeDefinition().MakeGenericType(args!) : null
            : t;

    static void Unify(Type pattern, Type actual, Dictionary<Type, Type> bound)
    {
        if (pattern.IsGenericParameter) { bound.TryAdd(pattern, actual); return; }
        if (!pattern.IsGenericType || !pattern.ContainsGenericParameters) return;
        var definition = pattern.GetGenericTypeDefinition();
        var match = actual.IsGenericType && actual.GetGenericTypeDefinition() == definition ? actual
            : actual.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
        if (match is null) return;
        foreach (var (p, a) in pattern.GetGenericArguments().Zip(match.GetGenericArguments())) Unify(p, a, bound);
    }
}
