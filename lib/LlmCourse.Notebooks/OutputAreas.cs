using System.Text;
using LlmCourse.Notebooks.Kernel;

namespace LlmCourse.Notebooks;

/// <summary>
/// The outputs of a notebook's cells, built from a kernel's messages the way a Jupyter front end builds them:
/// stream text joins the stream output before it, a display update replaces every output with its display
/// id (in whichever cell), and what a cell keeps is capped, as front ends cap it, with a note saying how much
/// was cut. Appending is linear in the text: printing 50 MB costs 50 times what 1 MB does.
/// </summary>
public sealed class OutputAreas(int maxStreamCharacters = OutputAreas.DefaultMaxStreamCharacters, int maxOutputs = OutputAreas.DefaultMaxOutputs)
{
    /// <summary>The printed text a cell keeps (about 1 MB): far more than a notebook should show, small enough for git.</summary>
    public const int DefaultMaxStreamCharacters = 1_000_000;

    /// <summary>The outputs a cell keeps: a display(...) in a loop should use .Update(...) instead.</summary>
    public const int DefaultMaxOutputs = 500;

    sealed class Area
    {
        public readonly List<object> Items = [];   // CellOutput, or Text for a stream output still growing
        public long StreamCharacters, CutCharacters;
        public int DroppedOutputs;
    }

    sealed record Text(string Name, StringBuilder Builder);

    readonly Dictionary<int, Area> _areas = [];
    readonly object _gate = new();

    Area AreaOf(int cell) => _areas.TryGetValue(cell, out var a) ? a : _areas[cell] = new Area();

    public void Stream(int cell, string name, string text)
    {
        lock (_gate)
        {
            var area = AreaOf(cell);
            var room = maxStreamCharacters - (area.StreamCharacters - area.CutCharacters);
            area.StreamCharacters += text.Length;
            if (room <= 0) { area.CutCharacters += text.Length; return; }
            if (text.Length > room)
            {
                area.CutCharacters += text.Length - room;
                text = text[..(int)room];
            }
            if (area.Items.Count > 0 && area.Items[^1] is Text last && last.Name == name)
                last.Builder.Append(text);
            else if (area.Items.Count < maxOutputs)
                area.Items.Add(new Text(name, new StringBuilder(text)));
            else
                area.DroppedOutputs++;
        }
    }

    /// <summary>A display, a result or an error. Errors are always kept, whatever the cap.</summary>
    public void Add(int cell, CellOutput output)
    {
        if (output is StreamOutput s) { Stream(cell, s.Name, s.Text); return; }
        lock (_gate)
        {
            var area = AreaOf(cell);
            if (area.Items.Count < maxOutputs || output is ErrorOutput) area.Items.Add(output);
            else area.DroppedOutputs++;
        }
    }

    /// <summary>Replaces every output with this display id; an id no output carries is ignored, as front ends do.</summary>
    public void Update(DisplayOutput output)
    {
        lock (_gate)
            foreach (var area in _areas.Values)
                for (int i = 0; i < area.Items.Count; i++)
                    if (area.Items[i] is DisplayOutput { DisplayId: { } id } && id == output.DisplayId)
                        area.Items[i] = output;
    }

    /// <summary>Replaces the outputs with this display id in one cell only (what VS Code's Polyglot extension does with an update).</summary>
    public void ReplaceIn(int cell, DisplayOutput output)
    {
        lock (_gate)
            if (_areas.TryGetValue(cell, out var area))
                for (int i = 0; i < area.Items.Count; i++)
                    if (area.Items[i] is DisplayOutput { DisplayId: { } id } && id == output.DisplayId)
                        area.Items[i] = output;
    }

    /// <summary>Puts <paramref name="error"/> in place of the cell's error output (the runner's timeout for the kernel's interrupt).</summary>
    public void ReplaceError(int cell, ErrorOutput error)
    {
        lock (_gate)
        {
            var area = AreaOf(cell);
            area.Items.RemoveAll(i => i is ErrorOutput);
            area.Items.Add(error);
        }
    }

    /// <summary>A cell's outputs as they stand, with a note at the end when some were cut.</summary>
    public IReadOnlyList<CellOutput> For(int cell)
    {
        lock (_gate)
        {
            if (!_areas.TryGetValue(cell, out var area)) return [];
            var outputs = area.Items.Select(i => i is Text t ? new StreamOutput(t.Name, t.Builder.ToString()) : (CellOutput)i).ToList();
            if (area.CutCharacters > 0 || area.DroppedOutputs > 0)
            {
                var what = new List<string>();
                if (area.CutCharacters > 0)
                    what.Add(FormattableString.Invariant($"{area.CutCharacters:N0} of the {area.StreamCharacters:N0} characters this cell printed (it keeps the first {maxStreamCharacters:N0})"));
                if (area.DroppedOutputs > 0)
                    what.Add(FormattableString.Invariant($"{area.DroppedOutputs:N0} outputs after the first {maxOutputs:N0}"));
                outputs.Add(new StreamOutput("stderr", $"[output cut: {string.Join(" and ", what)} were not kept]\n"));
            }
            return outputs;
        }
    }
}
