using System.CommandLine;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Evaluation;
using LlmCourse.Generation;
using LlmCourse.Modeling;
using LlmCourse.Tasks;
using LlmCourse.Tokenization;
using LlmCourse.Training;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

/// <summary>`llmcourse eval context`: does each model read its context window? (part 2's base model, part 4–5's assistants)</summary>
public static class ContextCommands
{
    public static void Register(CommandGroups groups) => groups.Eval.Subcommands.Add(EvalContext());

    static Command EvalContext()
    {
        var baseModel = new Option<string>("--base") { Description = "Base model checkpoint", DefaultValueFactory = _ => CourseData.PathOf(BaseModel.RelativePath) };
        var assistant = new Option<string>("--assistant") { Description = "Assistant checkpoint (skipped when missing)", DefaultValueFactory = _ => CourseData.PathOf(SupervisedFineTuning.RelativePath) };
        var tools = new Option<string>("--tools") { Description = "Tool-using assistant checkpoint (skipped when missing)", DefaultValueFactory = _ => CourseData.PathOf(ToolAssistant.RelativePath) };
        var cmd = new Command("context", "Copying, induction and few-shot learning of the base model; pasted text, search and the carried entity for the assistants");
        cmd.Options.Add(baseModel);
        cmd.Options.Add(assistant);
        cmd.Options.Add(tools);
        cmd.SetAction(parse =>
        {
            try
            {
                var facts = FactWorld.ReadTsv(CourseData.PathOf("facts.tsv"));
                torch.set_num_threads(Environment.ProcessorCount);
                var lm = LanguageModel.Load(parse.GetValue(baseModel)!, CourseTokenizer.LoadShipped());
                var induction = Induction.Measure(lm);
                Console.WriteLine($"induction (base): {induction}");
                var capitals = ContextEvaluation.WellKnownCapitals(facts).Select(f => f.Fact).ToList();
                var scores = new List<ContextScore>
                {
                    ContextEvaluation.Copy(lm, "base"),
                    ContextEvaluation.FewShot(lm, "base", capitals, 3),
                    ContextEvaluation.FewShot(lm, "base", capitals, 8),
                };
                var heldOut = FactSplit.Shipped.HeldOut.Where(f => f.CorpusMentions > 0).ToList();
                if (File.Exists(parse.GetValue(assistant)))
                {
                    var chat = SupervisedFineTuning.Load(parse.GetValue(assistant)!);
                    scores.Add(ContextEvaluation.Pasted(chat, "assistant"));
                    scores.Add(ContextEvaluation.Answers(chat, "assistant", $"held-out facts, their page pasted in", heldOut, pastePage: true));
                    scores.Add(ContextEvaluation.Answers(chat, "assistant", $"held-out facts, from memory", heldOut));
                    scores.Add(ContextEvaluation.EntityCarried(chat, "assistant", ContextEvaluation.WellKnownCapitals(facts)));
                }
                else Console.WriteLine($"no assistant at {parse.GetValue(assistant)} (`./llmcourse train sft` builds it)");
                if (File.Exists(parse.GetValue(tools)))
                {
                    var toolModel = SupervisedFineTuning.Load(parse.GetValue(tools)!).WithTools(ToolAssistant.ToolRunner(Tools.ToolBox.Course()));
                    scores.Add(ContextEvaluation.Answers(toolModel, "tools", "held-out facts, with the search tool", heldOut));
                    scores.Add(ContextEvaluation.Answers(toolModel, "tools", "held-out facts seen once, with the search tool",
                        heldOut.Where(f => f.CorpusMentions == 1).ToList()));
                }
                else Console.WriteLine($"no tool-using assistant at {parse.GetValue(tools)} (`./llmcourse train tools` builds it)");
                Console.WriteLine(ContextEvaluation.Report(scores).ToText());
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CheckpointException)
            {
                Console.Error.WriteLine($"llmcourse eval context: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}
