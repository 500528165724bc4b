using System.Text.RegularExpressions;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Tools;

namespace LlmCourse.Tasks;

/// <summary>
/// Part 5's second mitigation: SFT traces that show the assistant when to call which tool. At this scale tool use
/// is taught, not discovered: fact questions go to the search engine and the answer is read off its result;
/// every arithmetic step of a worked solution goes to the calculator; a question about a pasted text is
/// answered from the text. The tool results in these traces are the tools' real outputs, and the loss never
/// trains on them (the chat template masks them).
/// </summary>
public static partial class ToolData
{
    /// <summary>What the assistant searches for: the question's subject and relation, in a few words.</summary>
    public static string SearchQuery(Fact fact) => fact.Relation switch
    {
        "capital" => $"capital of {fact.Entity}",
        "born" => $"{fact.Entity} born",
        "job" => $"{fact.Entity} job",
        _ => throw new ArgumentException($"Unknown relation '{fact.Relation}'.", nameof(fact)),
    };

    /// <summary>The reply when the search result does not mention who or what was asked about.</summary>
    public static string NotFound(Fact fact) => $"I could not find {fact.Entity} in my search results.";

    /// <summary>
    /// A fact question answered through the search tool: the call, the real result, and an answer read off the
    /// result — or, when the result does not state the fact, the honest "I could not find …".
    /// </summary>
    public static Conversation FactWithSearch(Fact fact, string question, ToolBox tools)
    {
        var call = $"search({SearchQuery(fact)})";
        var result = tools.Run(call).Text;
        var states = result.Contains(fact.Entity, StringComparison.Ordinal) && Evaluation.ChatEvaluation.ContainsWord(result, fact.Value);
        return new Conversation(states ? "search" : "search: not found", Message.User(question), Message.ToolCall(call), Message.ToolResult(result),
            Message.Assistant(states ? AssistantData.Answer(fact) : NotFound(fact)));
    }

    /// <summary>A question about a text the user pastes: the answer is in the context window, not in memory.</summary>
    public static Conversation FactFromContext(Fact fact, string passage, string question) =>
        new("pasted text", Message.User($"{passage}\n\n{question}"), Message.Assistant(AssistantData.Answer(fact)));

    /// <summary>
    /// A worked solution whose every step "a op b = c" asks the calculator for c and copies its answer:
    /// "The oranges cost 2 × $2 = [calculator(2 × $2) → 4] $4. …".
    /// </summary>
    public static Conversation ProblemWithCalculator(WordProblem problem, ToolBox tools)
    {
        var messages = new List<Message> { Message.User(problem.Question) };
        var reply = problem.WorkedReply;
        var at = 0;
        foreach (Match step in ArithmeticStep().Matches(reply))
        {
            var expression = step.Groups["expression"].Value;
            var upToEquals = step.Index + step.Groups["expression"].Length + " = ".Length;
            messages.Add(Message.Assistant(reply[at..upToEquals]));
            var call = $"calculator({expression})";
            messages.Add(Message.ToolCall(call));
            messages.Add(Message.ToolResult(tools.Run(call).Text));
            at = upToEquals;
        }
        messages.Add(Message.Assistant(reply[at..]));
        return new Conversation($"calculator: {problem.Family}", messages);
    }

    /// <summary>
    /// The tool-using assistant's SFT set: the ordinary conversations (fewer fact and problem ones), plus fact
    /// questions through search — about training facts and about strangers the corpus never mentions, which
    /// search cannot find — worked problems through the calculator, and questions about pasted text.
    /// </summary>
    public static IReadOnlyList<Conversation> Build(FactSplit split, ToolBox tools, IReadOnlyList<FactCount> strangers, ulong seed = 1,
        int searches = 2000, int strangerSearches = 300, int calculations = 2500, int pasted = 1200)
    {
        var rng = Rng.For(seed, 0x7001);
        var data = AssistantData.Build(split, new AssistantData.Mix(FactQuestions: 600, FactFollowUps: 300, WorkedProblems: 1500, DirectProblems: 600), seed).ToList();
        for (var i = 0; i < searches; i++)
        {
            var f = rng.Pick(split.Training).Fact;
            data.Add(FactWithSearch(f, AssistantData.Question(f, rng), tools));
        }
        for (var i = 0; i < strangerSearches; i++)
        {
            var f = rng.Pick(strangers).Fact;
            data.Add(FactWithSearch(f, AssistantData.Question(f, rng), tools));
        }
        foreach (var p in WordProblems.Training(calculations, stream: 3)) data.Add(ProblemWithCalculator(p, tools));
        for (var i = 0; i < pasted; i++)
        {
            var f = rng.Pick(split.Training).Fact;
            var passage = Passage(f);
            if (passage is not null) data.Add(FactFromContext(f, passage, AssistantData.Question(f, rng)));
        }
        rng.Shuffle(data);
        return data;
    }

    /// <summary>A sentence of the corpus that states the fact (what a user would paste), or null if none does.</summary>
    public static string? Passage(Fact fact) =>
        CorpusSearch.Shipped.Search(SearchQuery(fact), 5)
            .Select(h => h.Text)
            .FirstOrDefault(t => t.Contains(fact.Entity, StringComparison.Ordinal) && Evaluation.ChatEvaluation.ContainsWord(t, fact.Value));

    /// <summary>"2 × $2 = ", "$13 - $4 = ", "9 ÷ 3 = ": an arithmetic step of a worked solution.</summary>
    [GeneratedRegex(@"(?<expression>\$?\d+ [×÷+\-] \$?\d+) = ")]
    private static partial Regex ArithmeticStep();
}
