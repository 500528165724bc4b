using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tokenization;

namespace LlmCourse.Visuals;

/// <summary>
/// Who attends to whom in one head of one layer: row = the token doing the looking (query), column
/// = the token looked at (key). Everything above the diagonal is 0 — a token cannot see the future.
/// </summary>
public sealed class AttentionHeatmap : HtmlView
{
    public AttentionHeatmap(AttentionWeights weights, ITokenizer tokenizer, int layer, int head)
    {
        if ((uint)layer >= (uint)weights.Layers) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The model has layers 0..{weights.Layers - 1}.");
        if ((uint)head >= (uint)weights.Heads) throw new ArgumentOutOfRangeException(nameof(head), head, $"Each layer has heads 0..{weights.Heads - 1}.");
        Layer = layer;
        Head = head;
        Map = weights.Map(layer, head);
        // Numbered labels: plotly merges equal category names, and a text often repeats a token.
        Labels = weights.Tokens.Select((id, i) => $"{i}:{TokenText.Visible(tokenizer.Decode([id]))}").ToArray();
    }

    public int Layer { get; }
    public int Head { get; }
    /// <summary>[query, key] attention weights; each row sums to 1.</summary>
    public float[,] Map { get; }
    public IReadOnlyList<string> Labels { get; }

    public Figure Chart()
    {
        var n = Labels.Count;
        var z = new double[n, n];
        for (var q = 0; q < n; q++)
            for (var k = 0; k < n; k++) z[q, k] = Map[q, k];
        return new Figure($"Attention, layer {Layer}, head {Head}")
            .Heatmap(z, Labels, Labels, colorScale: "Reds", range: (0, 1), hoverTemplate: "%{y} attends to %{x}: %{z:.2f}")   // light at 0, dark red at full attention
            .XAxis("attended to (key)").YAxis("attending (query)")
            .Height(Math.Clamp(200 + 18 * n, 320, 800));
    }

    public override string ToHtml() => Chart().ToHtml();

    public override string ToText()
    {
        var lines = new List<string> { $"attention, layer {Layer}, head {Head} (each token's strongest key):" };
        for (var q = 0; q < Labels.Count; q++)
        {
            var best = 0;
            for (var k = 1; k <= q; k++) if (Map[q, k] > Map[q, best]) best = k;
            lines.Add($"  {Labels[q]} -> {Labels[best]} {Map[q, best]:F2}");
        }
        return string.Join("\n", lines);
    }
}
