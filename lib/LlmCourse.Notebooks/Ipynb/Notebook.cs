using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks.Ipynb;

/// <summary>One cell of a notebook: its kind, its source, and (for code) its kernel.</summary>
public sealed record NotebookCell(int Index, string CellType, string Source, string? KernelName)
{
    public bool IsCode => CellType == "code";
    public bool IsMarkdown => CellType == "markdown";
    /// <summary>1-based position among all cells, as a reader counts them.</summary>
    public int Number => Index + 1;
}

/// <summary>
/// A Polyglot Notebooks .ipynb (nbformat 4). Reading validates it and keeps the JSON document, so
/// writing back changes only outputs, execution counts and the per-cell time: everything else a
/// front end stored survives. Written as Jupyter writes it (one-space indent, text as line arrays).
/// </summary>
public sealed class Notebook
{
    public const string CSharpKernelName = "csharp";

    readonly JsonObject _document;
    public string Path { get; }
    public IReadOnlyList<NotebookCell> Cells { get; }

    Notebook(string path, JsonObject document, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        _document = document;
        Cells = cells;
    }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Reads and validates a notebook; a bad one raises <see cref="NotebookFormatException"/>.</summary>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException(path, "file not found");
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (IOException e) { throw new NotebookFormatException(path, $"cannot read the file: {e.Message}"); }
        return Parse(path, text);
    }

    public static Notebook Parse(string path, string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }); }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: " +
                                                    FirstSentence(e.Message));
        }
        if (root is not JsonObject document) throw new NotebookFormatException(path, "the top level is not a JSON object");

        if (document["nbformat"] is not JsonValue nbformat || !nbformat.TryGetValue(out int major))
            throw new NotebookFormatException(path, "no \"nbformat\" version number: not a Jupyter notebook");
        if (major != 4)
            throw new NotebookFormatException(path, $"nbformat {major} is not supported: Polyglot Notebooks write nbformat 4");
        if (document["cells"] is not JsonArray cells)
            throw new NotebookFormatException(path, "no \"cells\" array");

        var defaultKernel = StringAt(path, "the notebook", document["metadata"], "polyglot_notebook", "kernelInfo", "defaultKernelName") ?? CSharpKernelName;
        var parsed = new List<NotebookCell>();
        for (int i = 0; i < cells.Count; i++)
        {
            var where = $"cell {i + 1}";
            if (cells[i] is not JsonObject cell) throw new NotebookFormatException(path, $"{where} is not a JSON object");
            var type = cell["cell_type"] is JsonValue t && t.TryGetValue(out string? s) ? s : null;
            if (type is not ("code" or "markdown" or "raw"))
                throw new NotebookFormatException(path, $"{where} has {(type is null ? "no cell_type" : $"an unknown cell_type \"{type}\"")} (expected code, markdown or raw)");
            if (!cell.ContainsKey("source"))
                throw new NotebookFormatException(path, $"{where} ({type}) has no \"source\"");
            var source = ReadText(cell["source"]) ?? throw new NotebookFormatException(path, $"{where} has a \"source\" that is neither a string nor a list of strings");
            if (cell["metadata"] is { } m && m is not JsonObject)
                throw new NotebookFormatException(path, $"{where} has \"metadata\" that is not a JSON object");
            var kernel = StringAt(path, where, cell["metadata"], "polyglot_notebook", "kernelName")
                         ?? StringAt(path, where, cell["metadata"], "dotnet_interactive", "language")
                         ?? (type == "code" ? defaultKernel : null);
            if (type == "code" && cell["outputs"] is { } outputs && outputs is not JsonArray)
                throw new NotebookFormatException(path, $"{where} has \"outputs\" that is not a list");
            parsed.Add(new NotebookCell(i, type, source, kernel));
        }
        return new Notebook(path, document, parsed);
    }

    /// <summary>
    /// The string at a path of keys inside some metadata, or null when a key is missing; a value of another kind
    /// (a number where a kernel name belongs) is an error naming where it is.
    /// </summary>
    static string? StringAt(string path, string where, JsonNode? node, params string[] keys)
    {
        for (int i = 0; i < keys.Length; i++)
        {
            if (node is null) return null;
            if (node is not JsonObject o)
                throw new NotebookFormatException(path, $"{where}: {(i == 0 ? "metadata" : "metadata " + string.Join(".", keys[..i]))} is a {Kind(node)}, not a JSON object");
            node = o[keys[i]];
        }
        return node switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw new NotebookFormatException(path, $"{where}: metadata {string.Join(".", keys)} is a {Kind(node)}, not a string"),
        };
    }

    static string Kind(JsonNode node) => node switch
    {
        JsonObject => "JSON object",
        JsonArray => "list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.String => "string",
            var k => k.ToString().ToLowerInvariant(),
        },
        _ => "value",
    };

    /// <summary>Sets a code cell's outputs, execution count and time, as a run leaves them.</summary>
    public void SetExecution(NotebookCell cell, int? executionCount, IReadOnlyList<CellOutput> outputs, TimeSpan? elapsed)
    {
        var json = (JsonObject)((JsonArray)_document["cells"]!)[cell.Index]!;
        json["execution_count"] = executionCount;
        json["outputs"] = new JsonArray(outputs.Select(o => ToJson(o, executionCount)).ToArray<JsonNode?>());
        var metadata = json["metadata"] as JsonObject ?? new JsonObject();
        json["metadata"] = metadata;
        if (elapsed is { } time)
            metadata["llmcourse"] = new JsonObject { ["elapsed_seconds"] = Math.Round(time.TotalSeconds, 3) };
        else
            metadata.Remove("llmcourse");
    }

    /// <summary>
    /// Leaves the cells' run times out of the file, so that re-running an unchanged notebook changes nothing
    /// but what it measured (for committed notebooks).
    /// </summary>
    public void RemoveTimings()
    {
        foreach (var cell in Cells.Where(c => c.IsCode))
            if (((JsonArray)_document["cells"]!)[cell.Index]!["metadata"] is JsonObject metadata)
                metadata.Remove("llmcourse");
    }

    /// <summary>The outputs stored in the file for a cell (to export a notebook without running it).</summary>
    public IReadOnlyList<CellOutput> OutputsOf(NotebookCell cell)
    {
        var json = ((JsonArray)_document["cells"]!)[cell.Index]!;
        if (json["outputs"] is not JsonArray outputs) return [];
        return outputs.OfType<JsonObject>().Select(FromJson).OfType<CellOutput>().ToList();
    }

    public int? ExecutionCountOf(NotebookCell cell) =>
        ((JsonArray)_document["cells"]!)[cell.Index]!["execution_count"] is JsonValue v && v.TryGetValue(out int n) ? n : null;

    public double? ElapsedSecondsOf(NotebookCell cell) =>
        ((((JsonArray)_document["cells"]!)[cell.Index]!["metadata"] as JsonObject)?["llmcourse"] as JsonObject)?["elapsed_seconds"] is JsonValue v && v.TryGetValue(out double s) ? s : null;

    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,   // as Jupyter and VS Code write notebooks
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // keep HTML and non-ASCII readable in diffs
    };

    public string ToJson() => _document.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook whole or not at all: a temporary file renamed into place.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    // Keys in alphabetical order, as Jupyter writes them.
    static JsonNode ToJson(CellOutput output, int? executionCount)
    {
        switch (output)
        {
            case DisplayOutput d:
                var o = new JsonObject { ["data"] = new JsonObject(d.Data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Lines(kv.Value)))) };
                if (d.IsResult) o["execution_count"] = executionCount;
                o["metadata"] = new JsonObject();
                o["output_type"] = d.IsResult ? "execute_result" : "display_data";
                return o;
            case StreamOutput s:
                return new JsonObject { ["name"] = s.Name, ["output_type"] = "stream", ["text"] = Lines(s.Text) };
            case ErrorOutput e:
                return new JsonObject
                {
                    ["ename"] = e.Name, ["evalue"] = e.Message, ["output_type"] = "error",
                    ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(output));
        }
    }

    // Tolerant: a stored output of an unexpected shape is shown as best it can be, never an exception.
    static CellOutput? FromJson(JsonObject o) => Str(o["output_type"]) switch
    {
        "execute_result" or "display_data" when o["data"] is JsonObject data => new DisplayOutput(
            data.ToDictionary(kv => kv.Key, kv => ReadText(kv.Value) ?? kv.Value?.ToJsonString() ?? ""),   // e.g. application/json
            Str(o["output_type"]) == "execute_result"),
        "stream" => new StreamOutput(Str(o["name"]) ?? "stdout", ReadText(o["text"]) ?? ""),
        "error" => new ErrorOutput(Str(o["ename"]) ?? "Error", Str(o["evalue"]) ?? "",
            (o["traceback"] as JsonArray)?.Select(t => t is JsonValue v && v.TryGetValue(out string? s) ? s : t?.ToJsonString() ?? "").ToList() ?? []),
        _ => null,
    };

    static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>Jupyter stores text as a string or as a list of lines that each keep their "\n".</summary>
    static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { array.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }

    static string? ReadText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out string? _)) => string.Concat(a.Select(x => x!.GetValue<string>())),
        _ => null,
    };

    static string FirstSentence(string message) => message.Split(new[] { ". ", " LineNumber" }, StringSplitOptions.None)[0];

    /// <summary>A new, empty C# notebook with the Polyglot Notebooks metadata (for tools and tests).</summary>
    public static Notebook Create(string path, IEnumerable<(string CellType, string Source)> cells)
    {
        var document = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode?)NewCell(c.CellType, c.Source)).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = CSharpKernelName,
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = CSharpKernelName }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 2,
        };
        return Parse(path, document.ToJsonString());
    }

    static JsonObject NewCell(string type, string source)
    {
        var cell = new JsonObject { ["cell_type"] = type };
        if (type == "code")
        {
            cell["execution_count"] = null;
            cell["metadata"] = new JsonObject
            {
                ["dotnet_interactive"] = new JsonObject { ["language"] = CSharpKernelName },
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = CSharpKernelName },
            };
            cell["outputs"] = new JsonArray();
        }
        else cell["metadata"] = new JsonObject();
        cell["source"] = Lines(source);
        return cell;
    }
}
