namespace LlmCourse.Notebooks.Kernel;

/// <summary>
/// Where a running cell's outputs go, in the shape of Jupyter's iopub messages: the Jupyter kernel
/// publishes them, the in-process runner collects them as a front end would (<see cref="LlmCourse.Notebooks.OutputAreas"/>).
/// Called from whichever thread the cell's code writes on; implementations must be thread-safe.
/// </summary>
public interface IKernelOutput
{
    /// <summary>Text on "stdout" or "stderr" (a "stream" message). Already batched: one call per flush, not per write.</summary>
    void Stream(string name, string text);

    /// <summary>A new output: a display (display_data, its <see cref="DisplayOutput.DisplayId"/> the transient display id),
    /// the cell's value (execute_result) or its error.</summary>
    void Add(CellOutput output);

    /// <summary>Replaces every output carrying <paramref name="output"/>'s display id (update_display_data).</summary>
    void Update(DisplayOutput output);
}
