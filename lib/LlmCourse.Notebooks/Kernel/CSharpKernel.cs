using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using LlmCourse.Notebooks.Formatting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace LlmCourse.Notebooks.Kernel;

/// <summary>How one cell ended: its outputs went to the kernel's <see cref="IKernelOutput"/> as it ran.</summary>
public sealed record CellResult(TimeSpan Elapsed, CellError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Why a cell failed and where: the 1-based line within the cell and that line's text.</summary>
public sealed record CellError(string Kind, string Message, int? Line, string? SourceLine)
{
    /// <summary>The error's kind for a cell that was interrupted (a stop button, or a runner's timeout).</summary>
    public const string InterruptedKind = "Interrupted";

    /// <summary>The lines a front end shows for the error: what went wrong, then where.</summary>
    public IReadOnlyList<string> Traceback =>
        Line is int l ? [$"{Kind}: {Message}", $"line {l}: {SourceLine?.Trim()}"] : [$"{Kind}: {Message}"];

    public ErrorOutput ToOutput() => new(Kind, Message, Traceback);
}

/// <summary>
/// The engine: runs C# cells one after another with the semantics of the .NET Interactive C# kernel —
/// Roslyn scripting with one state chained from cell to cell, the notebook's folder as working directory,
/// the trailing expression as the cell's value, Console output captured, display(...) and Update(...),
/// and #r "path" resolved against the notebook's folder. Cells in, mime bundles out through an
/// <see cref="IKernelOutput"/>; it knows nothing of files or sockets, so the same engine serves the
/// Jupyter kernel (LlmCourse.Notebooks.Jupyter) and the in-process runner.
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

    internal static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    readonly string _workingDirectory;
    readonly IKernelOutput _output;
    readonly Func<string, string?> _input;
    readonly KernelGlobals _globals = new();
    readonly object _gate = new();
    ScriptState<object?>? _state;
    ConsoleCapture? _capture;     // while a cell runs
    bool _running;
    int _cellNumber;

    /// <param name="workingDirectory">The notebook's folder: relative paths and #r resolve against it.</param>
    /// <param name="output">Receives every output, as the cell makes it.</param>
    /// <param name="input">Answers Console.ReadLine (prompt in, line out); by default a cell cannot read input.</param>
    public CSharpKernel(string workingDirectory, IKernelOutput output, Func<string, string?>? input = null)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory);
        _output = output;
        _input = input ?? (_ => throw new InvalidOperationException(
            "Console input is not available: this front end does not answer input requests. Set the value in the cell instead."));
        _globals.Kernel = this;
    }

    public string WorkingDirectory => _workingDirectory;

    /// <summary>Runs one cell. Never throws for the cell's own errors: they come back in the result, and as an error output.</summary>
    public async Task<CellResult> ExecuteAsync(string code, CancellationToken cancellationToken = default)
    {
        _cellNumber++;
        var clock = Stopwatch.StartNew();
        Interruption.Reset();
        lock (_gate) _running = true;
        CellError? error;
        try { error = await RunAsync(code, cancellationToken); }
        finally
        {
            lock (_gate) _running = false;
        }
        if (error is not null) Add(error.ToOutput());
        Interruption.Reset();
        return new CellResult(clock.Elapsed, error);
    }

    /// <summary>
    /// Stops the running cell at its next loop turn or call (see <see cref="Interruption"/>); the kernel and what
    /// the cell did so far stay. Roslyn's own cancellation is not used: it would drop the cell's state.
    /// </summary>
    public void Interrupt()
    {
        lock (_gate)
            if (_running) Interruption.Request();
    }

    ScriptOptions Options() => ScriptOptions.Default
        .WithReferences(FrameworkReferences.Value)
        .WithImports(Imports)
        .WithFilePath(Path.Combine(_workingDirectory, $"cell-{_cellNumber}.csx"))   // #r and #load resolve against this file's folder: the notebook's
        .WithFileEncoding(Encoding.UTF8)
        .WithEmitDebugInformation(true)   // line numbers in stack traces
        .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_workingDirectory))
        .WithSourceResolver(new SourceFileResolver([], _workingDirectory))
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithAllowUnsafe(true);

    async Task<CellError?> RunAsync(string code, CancellationToken cancellationToken)
    {
        if (CellDirectives.FindUnsupported(code) is { } unsupported)
            return new CellError("UnsupportedDirective", unsupported.Reason, unsupported.Line, unsupported.Text);

        var options = Options();
        var previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _workingDirectory;
        var capture = new ConsoleCapture(_gate, _output.Stream, _input);
        lock (_gate) _capture = capture;
        try
        {
            ScriptState<object?> state;
            try { state = await RunCodeAsync(Interruption.Instrument(code, ParseOptions), options, cancellationToken); }
            catch (CompilationErrorException)
            {
                // Report the cell's own errors (positions as written); the checks are never the cause, but if the
                // code compiles without them it runs without them.
                state = await RunCodeAsync(code, options, cancellationToken);
            }
            _state = state;   // keep what ran before an exception, as the kernel does
            if (state.Exception is { } exception)
                return RuntimeError(exception, code, options.FilePath);
            if (state.ReturnValue is { } value)
                Add(new DisplayOutput(ValueFormatter.Format(value), IsResult: true));
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
        catch (Exception e)
        {
            return RuntimeError(e, code, options.FilePath);
        }
        finally
        {
            lock (_gate) _capture = null;
            capture.Dispose();
            Environment.CurrentDirectory = previousDirectory;
        }
    }

    Task<ScriptState<object?>> RunCodeAsync(string code, ScriptOptions options, CancellationToken cancellationToken) =>
        _state is null
            ? CSharpScript.Create<object?>(code, options, typeof(KernelGlobals)).RunAsync(_globals, _ => true, cancellationToken)
            : _state.ContinueWithAsync<object?>(code, options, _ => true, cancellationToken);

    const string MissingReferenceHint =
        "The referenced DLL does not exist. If it is the course library, build it first: run `dotnet build` in the " +
        "repository root (it writes artifacts/course/LlmCourse.dll).";

    static CellError RuntimeError(Exception exception, string code, string cellPath)
    {
        var e = exception;
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        int? line = null;
        for (var x = e; x is not null && line is null; x = x.InnerException)
            line = new StackTrace(x, true).GetFrames()
                .FirstOrDefault(f => string.Equals(f.GetFileName(), cellPath, StringComparison.Ordinal))
                ?.GetFileLineNumber();
        if (IsInterruption(e))
            return new CellError(CellError.InterruptedKind, "the cell was interrupted" + (line is null ? "" : " while it ran this line"),
                line, SourceLine(code, line));
        var message = e.Message;
        for (var x = e.InnerException; x is not null; x = x.InnerException)
            message += $"\n ---> {x.GetType().Name}: {x.Message}";
        return new CellError(e.GetType().FullName ?? e.GetType().Name, message, line, SourceLine(code, line));
    }

    static bool IsInterruption(Exception e) => e switch
    {
        CellInterruptedException or ThreadInterruptedException => true,
        OperationCanceledException => Interruption.WasRequested,
        AggregateException { InnerExceptions: [var only] } => IsInterruption(only),
        _ => e.InnerException is { } inner && IsInterruption(inner),
    };

    static string? SourceLine(string code, int? line) =>
        line is int l && code.Split('\n') is var lines && l >= 1 && l <= lines.Length ? lines[l - 1].TrimEnd('\r') : null;

    void Add(CellOutput output)
    {
        lock (_gate)
        {
            _capture?.FlushLocked();   // what was printed before this output comes before it
            _output.Add(output);
        }
    }

    void Update(DisplayOutput output)
    {
        lock (_gate)
        {
            _capture?.FlushLocked();
            _output.Update(output);
        }
    }

    internal DisplayedValue Display(object? value, string[] mimeTypes)
    {
        DisplayOutput Render(object? v, string displayId) => new(ValueFormatter.Format(v, mimeTypes), DisplayId: displayId);

        var id = NewDisplayId();
        Add(Render(value, id));
        return new DisplayedValue(id, (displayId, updated) => Update(Render(updated, displayId)));
    }

    static string NewDisplayId() => Guid.NewGuid().ToString("N");

    /// <summary>Whether the code is a whole submission: "complete", "incomplete" (an open brace, say) or "invalid".</summary>
    public static string IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return "incomplete";
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "invalid" : "complete";
    }

    /// <summary>Completions at a position of a cell, against the state the cells before it left (see <see cref="CodeCompletion"/>).</summary>
    public CodeCompletion.Result Complete(string code, int position)
    {
        var options = Options();
        var script = _state?.Script.ContinueWith(code, options) ?? CSharpScript.Create(code, options, typeof(KernelGlobals));
        return CodeCompletion.Complete(script.GetCompilation(), code, position);
    }

    static bool IsManagedAssembly(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }
}
