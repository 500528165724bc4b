using System.ComponentModel;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>Thrown inside a cell's code when the cell is interrupted (a front end's stop button, or a runner's timeout).</summary>
public sealed class CellInterruptedException() : OperationCanceledException("The cell was interrupted.");

/// <summary>
/// Stops a running cell. .NET cannot abort a thread, and Roslyn's cancellation token is only looked at
/// between submissions, so a `while (true) {}` cell would run forever. Instead each cell is compiled with
/// a call to <see cref="Check"/> at the top of every loop body and every block-bodied method, lambda and
/// local function it declares; once the cell is interrupted the next check throws. The calls are inserted
/// without new lines, so line numbers in errors stay those of the cell as written.
/// </summary>
/// <remarks>
/// What it cannot stop: code outside the cell (a library call that never returns) and one long wait (a
/// single Thread.Sleep, a lock, an await of a task that never completes); a wait inside a loop stops at the
/// loop's next turn. The runner stops the kernel process when a cell does not stop. One flag serves the
/// whole process: a process runs one kernel (the Jupyter kernel), or kernels one after another (the
/// in-process runner).
/// </remarks>
public static class Interruption
{
    static volatile bool s_requested;

    /// <summary>Called by instrumented cell code; throws once the running cell has been interrupted.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Check()
    {
        if (s_requested) throw new CellInterruptedException();
    }

    internal static bool WasRequested => s_requested;
    internal static void Request() => s_requested = true;
    internal static void Reset() => s_requested = false;

    internal const string CheckCall = "global::LlmCourse.Notebooks.Kernel.Interruption.Check();";

    /// <summary>The cell's code with the checks inserted, or the code itself when it has no loop or body to check.</summary>
    internal static string Instrument(string code, CSharpParseOptions options)
    {
        var root = CSharpSyntaxTree.ParseText(code, options).GetRoot();
        var inserts = new List<(int Position, string Text)>();
        foreach (var node in root.DescendantNodes())
        {
            var body = node switch
            {
                WhileStatementSyntax w => w.Statement,
                DoStatementSyntax d => d.Statement,
                ForStatementSyntax f => f.Statement,
                CommonForEachStatementSyntax f => f.Statement,
                BaseMethodDeclarationSyntax { Body: { } b } => b,
                AccessorDeclarationSyntax { Body: { } b } => b,
                LocalFunctionStatementSyntax { Body: { } b } => b,
                AnonymousFunctionExpressionSyntax { Block: { } b } => b,
                _ => null,
            };
            if (body is null || body.IsMissing) continue;
            if (body is BlockSyntax block)
            {
                if (block.OpenBraceToken.IsMissing) continue;
                // Before the first statement, so an interrupted cell reports the line it was running.
                inserts.Add((block.Statements.Count > 0 ? block.Statements[0].SpanStart : block.OpenBraceToken.Span.End, CheckCall));
            }
            else
            {
                // A single-statement loop body becomes a block: `while (x) y();` -> `while (x) {Check();y();}`.
                inserts.Add((body.SpanStart, "{" + CheckCall));
                inserts.Add((body.Span.End, "}"));
            }
        }
        if (inserts.Count == 0) return code;
        var text = new StringBuilder(code.Length + inserts.Count * CheckCall.Length);
        int at = 0;
        // Stable order: at one position, a closing brace goes before an opening one.
        foreach (var (position, insert) in inserts.OrderBy(i => i.Position).ThenBy(i => i.Text == "}" ? 0 : 1))
        {
            text.Append(code, at, position - at).Append(insert);
            at = position;
        }
        return text.Append(code, at, code.Length - at).ToString();
    }
}
