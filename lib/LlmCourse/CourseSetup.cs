using System.Globalization;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Tokenization;
using LlmCourse.Training;
using LlmCourse.Visuals;

namespace LlmCourse;

/// <summary>One thing the course needs, whether it loaded, and the command that rebuilds it.</summary>
public sealed record SetupItem(string What, string File, bool Ok, string Detail, string Rebuild);

/// <summary>
/// Loads everything the later notebooks load — the course tokenizer, the corpus and its fact table, the
/// shipped models, the real GPT tokenizers — and tries each once, so a broken setup shows up in notebook 00
/// rather than in the middle of part 5.
/// </summary>
public sealed class CourseSetup : HtmlView
{
    CourseSetup(IReadOnlyList<SetupItem> items) => Items = items;

    public IReadOnlyList<SetupItem> Items { get; }
    public bool Ready => Items.All(i => i.Ok);

    public static CourseSetup Check() => new(
    [
        Try("course tokenizer", CourseTokenizer.RelativePath, "./llmcourse data tokenizer",
            () => $"{CourseTokenizer.LoadShipped().VocabSize:N0} token ids"),
        Try("corpus", "corpus.parquet", "./llmcourse data generate", () =>
        {
            var rows = CorpusParquet.ReadShipped();
            return $"{rows.Count:N0} documents, {rows.Sum(r => (long)r.Text.Length) / 1e6:0.0} M characters, {rows.Sum(r => (long)(r.TokenCount ?? 0)):N0} tokens";
        }),
        Try("fact table", "facts.tsv", "./llmcourse data generate",
            () => $"{FactWorld.ReadTsv(CourseData.PathOf("facts.tsv")).Count:N0} facts"),
        Try("base model", BaseModel.RelativePath, "./llmcourse train base", () =>
        {
            var lm = BaseModel.LoadShipped();
            var answer = lm.Generate("The capital of France is", 1, Sampling.Greedy);
            return $"{lm.Model.ParameterCount:N0} parameters; \"The capital of France is\" →{TokenText.Quote(answer)}";
        }),
        .. CourseModels.All.Where(m => m.IsChat).Select(m => Try($"{m.Name} model", m.RelativePath, m.Rebuild, () =>
        {
            var reply = new Chat.ChatSession(CourseModels.LoadChat(m.Name)).Ask("What is the capital of France?");
            return $"\"What is the capital of France?\" → {TokenText.Quote(reply)}";
        })),
        Try("reward model", Reinforcement.Rlhf.RewardModelRelativePath, "./llmcourse train rm", () =>
        {
            using var model = Reinforcement.RewardModel.Load(CourseData.PathOf(Reinforcement.Rlhf.RewardModelRelativePath));
            var toast = Reinforcement.Rlhf.HeldOutPrompts().First(p => p.Kind == "toast");
            var score = model.Score(Chat.ChatTemplate.Course, [([Chat.Message.User(toast.Question)], "Congratulations to you both.")])[0];
            return $"{model.parameters().Sum(p => p.numel()):N0} parameters; a two-word toast scores {score:F2}";
        }),
        Try("GPT-4 tokenizer (cl100k_base)", "(in the Microsoft.ML.Tokenizers data package)", "dotnet build",
            () => $"\"hello world\" = {string.Join(" ", TiktokenEncoding.Cl100kBase.Encode("hello world"))}"),
        Try("GPT-4o tokenizer (o200k_base)", "(in the Microsoft.ML.Tokenizers data package)", "dotnet build",
            () => $"{TiktokenEncoding.O200kBase.VocabSize:N0} token ids"),
    ]);

    /// <summary>Throws, naming every missing piece and the command that rebuilds it, unless all loaded.</summary>
    public CourseSetup EnsureReady()
    {
        if (Ready) return this;
        throw new InvalidOperationException("The course is not set up: " + string.Join("; ",
            Items.Where(i => !i.Ok).Select(i => $"{i.What} ({i.File}): {i.Detail} — rebuild it with `{i.Rebuild}`")));
    }

    static SetupItem Try(string what, string file, string rebuild, Func<string> check)
    {
        try { return new SetupItem(what, file, true, check(), rebuild); }
        catch (Exception e) { return new SetupItem(what, file, false, e.Message, rebuild); }
    }

    public override string ToHtml() => new Table(["", "what", "file (under data/)", "check"],
        Items.Select(i => (IReadOnlyList<string>)[i.Ok ? "✔" : "✘", i.What, i.File, i.Ok ? i.Detail : $"{i.Detail} (rebuild: {i.Rebuild})"])).ToHtml();

    public override string ToText() => string.Join("\n", Items.Select(i =>
        string.Create(CultureInfo.InvariantCulture, $"{(i.Ok ? "ok  " : "FAIL")} {i.What}: {i.Detail}")));
}
