using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using LlmCourse.Notebooks.Formatting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>How one cell ended.</summary>
public sealed record CellResult(IReadOnlyList<CellOutput> Outputs, TimeSpan Elapsed, CellError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Why a cell failed and where: the 1-based line within the cell and that line's text.</summary>
public sealed record CellError(string Kind, string Message, int? Line, string? SourceLine);

/// <summary>
/// The engine: runs C# cells one after another with the semantics of the .NET Interactive C# kernel —
/// Roslyn scripting with one state chained from cell to cell, the notebook's folder as working directory,
/// the trailing expression as the cell's value, Console output captured, display(...) and Update(...),
/// and #r "path" resolved against the notebook's folder. Cells in, mime bundles out; it knows nothing
/// of files, so the same engine can sit behind a Jupyter kernel.
/// </summary>
public sealed class CSharpKernel
{
    // The namespaces the real kernel imports for C# cells.
    static readonly string[] Imports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    static readonly Lazy<MetadataReference[]> FrameworkReferences = new(() =>
        Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("System.") || n is "netstandard.dll" or "Microsoft.CSharp.dll"))
            .Where(IsManagedAssembly)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .Append(MetadataReference.CreateFromFile(typeof(KernelGlobals).Assembly.Location))
            .ToArray());

    readonly string _workingDirectory;
    readonly KernelGlobals _globals = new();
    ScriptState<object?>? _state;
    List<CellOutput>? _outputs;   // the running cell's outputs
    readonly object _gate = new();
    int _cellNumber;

    /// <param name="workingDirectory">The notebook's folder: relative paths and #r resolve against it.</param>
    public CSharpKernel(string workingDirectory)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory);
        _globals.Kernel = this;
    }

    /// <summary>Runs one cell. Never throws for the cell's own errors: they come back in the result.</summary>
    public async Task<CellResult> ExecuteAsync(string code, CancellationToken cancellationToken = default)
    {
        _cellNumber++;
        var outputs = new List<CellOutput>();
        lock (_gate) _outputs = outputs;
        var clock = Stopwatch.StartNew();
        var error = await RunAsync(code, outputs, cancellationToken);
        lock (_gate) _outputs = null;
        if (error is not null)
            outputs.Add(new ErrorOutput(error.Kind, error.Message, Traceback(error)));
        return new CellResult(outputs, clock.Elapsed, error);
    }

    async Task<CellError?> RunAsync(string code, List<CellOutput> outputs, CancellationToken cancellationToken)
    {
        if (CellDirectives.FindUnsupported(code) is { } unsupported)
            return new CellError("UnsupportedDirective", unsupported.Reason, unsupported.Line, unsupported.Text);

        var cellPath = Path.Combine(_workingDirectory, $"cell-{_cellNumber}.csx");
        var options = ScriptOptions.Default
            .WithReferences(FrameworkReferences.Value)
            .WithImports(Imports)
            .WithFilePath(cellPath)   // #r and #load resolve against this file's folder: the notebook's
            .WithFileEncoding(Encoding.UTF8)
            .WithEmitDebugInformation(true)   // line numbers in stack traces
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_workingDirectory))
            .WithSourceResolver(new SourceFileResolver([], _workingDirectory))
            .WithAllowUnsafe(true);

        var previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _workingDirectory;
        try
        {
            using var capture = new ConsoleCapture(WriteStream);
            var state = _state is null
                ? await CSharpScript.RunAsync<object?>(code, options, _globals, typeof(KernelGlobals), cancellationToken)
                : await _state.ContinueWithAsync<object?>(code, options, _ => true, cancellationToken);
            _state = state;   // keep what ran before an exception, as the kernel does
            if (state.Exception is { } exception)
                return RuntimeError(exception, code, cellPath);
            if (state.ReturnValue is { } value)
                lock (_gate) outputs.Add(new DisplayOutput(ValueFormatter.Format(value), IsResult: true));
            return null;
        }
        catch (CompilationErrorException e)
        {
            var first = e.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            var line = first.Location.IsInSource ? first.Location.GetLineSpan().StartLinePosition.Line + 1 : (int?)null;
            var message = string.Join("\n", e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => (d.Location.IsInSource ? $"({d.Location.GetLineSpan().StartLinePosition.Line + 1},{d.Location.GetLineSpan().StartLinePosition.Character + 1}): " : "") +
                             $"error {d.Id}: {d.GetMessage()}"));
            if (first.Id == "CS0006") message += "\n" + MissingReferenceHint;
            return new CellError("CompilationError", message, line, SourceLine(code, line));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return RuntimeError(e, code, cellPath);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }
    }

    const string MissingReferenceHint =
        "The referenced DLL does not exist. If it is the course library, build it first: run `dotnet build` in the " +
        "repository root (it writes artifacts/course/LlmCourse.dll).";

    static CellError RuntimeError(Exception exception, string code, string cellPath)
    {
        var e = exception is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : exception;
        int? line = null;
        for (var x = e; x is not null && line is null; x = x.InnerException)
            line = new StackTrace(x, true).GetFrames()
                .FirstOrDefault(f => string.Equals(f.GetFileName(), cellPath, StringComparison.Ordinal))
                ?.GetFileLineNumber();
        var message = e.Message;
        for (var x = e.InnerException; x is not null; x = x.InnerException)
            message += $"\n ---> {x.GetType().Name}: {x.Message}";
        return new CellError(e.GetType().FullName ?? e.GetType().Name, message, line, SourceLine(code, line));
    }

    static string? SourceLine(string code, int? line) =>
        line is int l && code.Split('\n') is var lines && l >= 1 && l <= lines.Length ? lines[l - 1].TrimEnd('\r') : null;

    static IReadOnlyList<string> Traceback(CellError error)
    {
        var where = error.Line is int l ? $"line {l}: {error.SourceLine?.Trim()}" : "";
        return where.Length > 0 ? [$"{error.Kind}: {error.Message}", where] : [$"{error.Kind}: {error.Message}"];
    }

    internal DisplayedValue Display(object? value, string[] mimeTypes)
    {
        CellOutput Render(object? v, string displayId) => new DisplayOutput(ValueFormatter.Format(v, mimeTypes), DisplayId: displayId);

        List<CellOutput> outputs;
        lock (_gate)
        {
            outputs = _outputs ?? throw new InvalidOperationException("display() can only be called while a cell runs");
            outputs.Add(Render(value, NewDisplayId()));
        }
        // The handle's id is not the output's (see DisplayedValue): its first update adds an output, the
        // next ones replace that. An update after the cell ended still lands in that cell's outputs.
        return new DisplayedValue(NewDisplayId(), (id, updated) =>
        {
            var output = Render(updated, id);
            lock (_gate)
            {
                var index = outputs.FindIndex(o => o is DisplayOutput { DisplayId: var d } && d == id);
                if (index >= 0) outputs[index] = output;
                else outputs.Add(output);
            }
        });
    }

    static string NewDisplayId() => Guid.NewGuid().ToString("N");

    void WriteStream(string name, string text)
    {
        lock (_gate)
        {
            if (_outputs is not { } outputs) return;
            if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name)
                outputs[^1] = last with { Text = last.Text + text };
            else
                outputs.Add(new StreamOutput(name, text));
        }
    }

    static bool IsManagedAssembly(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }
}
