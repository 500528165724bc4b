using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// Completion from the compiler's semantic model (no editor services): after a dot, the members of the
/// expression's type (or of the type or namespace named before it), extension methods included; elsewhere,
/// every symbol in scope — the variables and methods earlier cells declared, the kernel's globals,
/// imported types and namespaces.
/// </summary>
public static class CodeCompletion
{
    /// <summary>The names that complete the word being typed, and the span of that word in the code (UTF-16 offsets).</summary>
    public sealed record Result(IReadOnlyList<string> Matches, int Start, int End);

    internal static Result Complete(Compilation compilation, string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        int start = position;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        int end = position;
        while (end < code.Length && (char.IsLetterOrDigit(code[end]) || code[end] == '_')) end++;
        var prefix = code[start..position];

        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        IEnumerable<ISymbol> symbols;

        var token = root.FindToken(Math.Max(0, start - 1));
        if (token.IsKind(SyntaxKind.DotToken) && token.Parent is MemberAccessExpressionSyntax access)
            symbols = Members(model, access.Expression, start);
        else if (token.IsKind(SyntaxKind.DotToken) && token.Parent is QualifiedNameSyntax qualified)
            symbols = Members(model, qualified.Left, start);
        else
            symbols = model.LookupSymbols(start).Where(s => s is not IMethodSymbol { MethodKind: not MethodKind.Ordinary and not MethodKind.LocalFunction });

        var matches = symbols
            .Where(s => s.CanBeReferencedByName && s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Name)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => !n.StartsWith(prefix, StringComparison.Ordinal))
            .ThenBy(n => n, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new Result(matches, start, end);
    }

    static IEnumerable<ISymbol> Members(SemanticModel model, ExpressionSyntax receiver, int position)
    {
        // A type or namespace name before the dot: its static members, nested types, or namespace members.
        if (model.GetSymbolInfo(receiver).Symbol is INamespaceOrTypeSymbol container and not ITypeSymbol { TypeKind: TypeKind.Error })
        {
            var members = model.LookupSymbols(position, container);
            return container is ITypeSymbol ? members.Where(m => m.IsStatic || m is ITypeSymbol) : members;
        }
        var type = model.GetTypeInfo(receiver).Type;
        if (type is null or { TypeKind: TypeKind.Error }) return [];
        return model.LookupSymbols(position, type, includeReducedExtensionMethods: true)
            .Where(m => !m.IsStatic || m is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }
}
