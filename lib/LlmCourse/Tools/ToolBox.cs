namespace LlmCourse.Tools;

/// <summary>
/// The tools the assistant may call, and the one place a call is run: the chat harness hands it the text
/// between the tool-call tokens and gets back the text to write into the context. Every way a call can go
/// wrong (malformed, unknown tool, a tool's own failure) comes back as a short one-line result, and every
/// result is cut to <see cref="MaxResultLength"/> characters so it cannot flood a 256-token context.
/// </summary>
public sealed class ToolBox
{
    readonly Dictionary<string, ITool> byName;

    public IReadOnlyList<ITool> Tools { get; }

    /// <summary>The longest result, in characters, that goes back into the context.</summary>
    public int MaxResultLength { get; }

    public ToolBox(IEnumerable<ITool> tools, int maxResultLength = ToolResult.DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResultLength, 2);
        Tools = [.. tools];
        MaxResultLength = maxResultLength;
        // Small models are sloppy with case ("Calculator(2+2)"); a name means the same tool either way.
        byName = new Dictionary<string, ITool>(StringComparer.OrdinalIgnoreCase);
        foreach (var tool in Tools)
            if (!byName.TryAdd(tool.Name, tool))
                throw new ArgumentException($"Two tools are named '{tool.Name}'.", nameof(tools));
    }

    /// <summary>
    /// The course assistant's tools: the calculator and a search over the course's own corpus (its index
    /// is built on the first search, not here).
    /// </summary>
    public static ToolBox Course(int maxResultLength = ToolResult.DefaultMaxLength) =>
        new([new Calculator(), new SearchTool(maxLength: maxResultLength)], maxResultLength);

    /// <summary>Run a call written as <c>name(argument)</c>.</summary>
    public ToolResult Run(string callText) =>
        ToolCall.TryParse(callText, out var call, out var error) ? Run(call) : ToolResult.Error(error);

    /// <summary>Run a parsed call.</summary>
    public ToolResult Run(ToolCall call)
    {
        if (!byName.TryGetValue(call.Name, out var tool))
            return ToolResult.Error($"unknown tool {ToolResult.Quote(call.Name)}; tools: {string.Join(", ", Tools.Select(t => t.Name))}")
                .Truncate(MaxResultLength);
        ToolResult result;
        try
        {
            result = tool.Run(call.Argument);
        }
        catch (Exception e)
        {
            // Tools answer bad input themselves; this is the last line of defence, so that a bug in one
            // tool costs one bad result instead of a crashed chat session or RL run.
            result = ToolResult.Error($"{tool.Name} failed: {e.Message}");
        }
        return result.Truncate(MaxResultLength);
    }

    /// <summary>One line per tool, "name(argument): what it does" — what a system prompt would list.</summary>
    public string Describe() => string.Join('\n', Tools.Select(t => t.Description));

    public override string ToString() => Describe();
}
