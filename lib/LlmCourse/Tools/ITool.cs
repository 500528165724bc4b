namespace LlmCourse.Tools;

/// <summary>
/// Something the assistant can call by writing <c>name(argument)</c> between its tool-call tokens. The chat
/// harness runs it and writes <see cref="ToolResult.Text"/> back into the context window, so a tool must
/// answer every argument — including nonsense — with a short result, never an exception.
/// </summary>
public interface ITool
{
    /// <summary>What the model writes before the parenthesis: "calculator", "search".</summary>
    string Name { get; }

    /// <summary>One line showing how to call the tool and what it does, e.g. "search(query): ..." (for a system prompt or a slide).</summary>
    string Description { get; }

    /// <summary>Run on the text between the call's parentheses.</summary>
    ToolResult Run(string argument);
}
