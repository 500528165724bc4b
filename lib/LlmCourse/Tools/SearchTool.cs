namespace LlmCourse.Tools;

/// <summary>
/// The assistant's search tool: <c>search(capital of Angola)</c> answers with the best sentence from the
/// course's corpus and its site, plus the next best ones if they are nearly as relevant and fit whole in
/// <paramref name="maxLength"/> characters. It brings a fact into the context window (working memory)
/// instead of the model's vague recollection of it (parameters).
/// </summary>
/// <param name="index">The index to search; null means the shipped corpus (<see cref="CorpusSearch.Shipped"/>), built on the first call.</param>
/// <param name="hits">At most this many sentences in one result.</param>
/// <param name="maxLength">The longest result in characters.</param>
/// <param name="keepRatio">
/// A further hit joins the result only if its BM25 score is at least this fraction of the best one's. For
/// "capital of Angola" the Angola sentence scores 12 and "The capital of France is Paris." 2.5: the second
/// would only spend the model's context on a distraction (and a near-namesake's birth year is worse).
/// </param>
public sealed class SearchTool(CorpusSearch? index = null, int hits = 2, int maxLength = ToolResult.DefaultMaxLength, double keepRatio = 0.75) : ITool
{
    public string Name => "search";

    public string Description => "search(query): the most relevant sentences in the course's documents, e.g. search(capital of Angola)";

    CorpusSearch Index => index ?? CorpusSearch.Shipped;

    public ToolResult Run(string argument)
    {
        var query = argument.Trim();
        if (query.Length == 0) return ToolResult.Error("empty query");
        if (query.Length > CorpusSearch.MaxQueryLength) return ToolResult.Error($"query too long (max {CorpusSearch.MaxQueryLength} characters)");

        var found = Index.Search(query, hits);
        if (found.Count == 0) return new ToolResult($"no results for {ToolResult.Quote(query)}");

        // The best hit always goes in (cut if it must be); the others only whole, never half a sentence.
        var lines = new List<string> { found[0].ToString() };
        foreach (var hit in found.Skip(1).Where(h => h.Score >= keepRatio * found[0].Score))
            if (lines.Sum(l => l.Length + 1) + hit.ToString().Length <= maxLength) lines.Add(hit.ToString());
        return new ToolResult(string.Join('\n', lines)).Truncate(maxLength);
    }
}
