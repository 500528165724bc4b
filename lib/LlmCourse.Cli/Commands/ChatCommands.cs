using System.CommandLine;
using System.Globalization;
using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Generation;
using LlmCourse.Tasks;
using LlmCourse.Training;
using TorchSharp;

namespace LlmCourse.Cli.Commands;

/// <summary>Part 4: `data sft` (the conversation dataset), `train sft` (the assistant) and `chat` (talk to a shipped model).</summary>
public static class ChatCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Data.Subcommands.Add(DataSft());
        groups.Train.Subcommands.Add(TrainSft());
    }

    /// <summary>`llmcourse data sft`: writes the SFT conversations and the held-out ones as JSONL.</summary>
    static Command DataSft()
    {
        var cmd = new Command("sft", "Write the SFT conversation dataset (data/sft/conversations.jsonl) and the held-out conversations (data/sft/held-out.jsonl)");
        cmd.SetAction(_ =>
        {
            var data = SupervisedFineTuning.Dataset();
            var heldOut = SupervisedFineTuning.HeldOutConversations();
            AssistantData.WriteJsonl(data, CourseData.PathOf(SupervisedFineTuning.DatasetRelativePath));
            AssistantData.WriteJsonl(heldOut, CourseData.PathOf(SupervisedFineTuning.HeldOutRelativePath));
            Console.WriteLine($"wrote {data.Count:N0} conversations to data/{SupervisedFineTuning.DatasetRelativePath} and {heldOut.Count:N0} held-out ones to data/{SupervisedFineTuning.HeldOutRelativePath}");
            foreach (var kind in data.GroupBy(c => c.Kind.Split(':')[0]).OrderByDescending(g => g.Count()))
                Console.WriteLine($"  {kind.Key,-16} {kind.Count(),6:N0}");
            return 0;
        });
        return cmd;
    }

    /// <summary>`llmcourse train sft`: fine-tunes the base model into the shipped assistant.</summary>
    static Command TrainSft()
    {
        var output = new Option<string>("--output") { Description = "Where to write the checkpoint", DefaultValueFactory = _ => CourseData.PathOf(SupervisedFineTuning.RelativePath) };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (the shipped recipe by default)", DefaultValueFactory = _ => SupervisedFineTuning.Training.Steps };
        var cmd = new Command("sft", "Fine-tune the base model (data/models/base.ckpt) on the conversation dataset into the assistant (resumes an interrupted run)");
        cmd.Options.Add(output);
        cmd.Options.Add(steps);
        cmd.SetAction(parse =>
        {
            torch.set_num_threads(Environment.ProcessorCount);
            MallocTuning.Apply();
            var path = parse.GetValue(output)!;
            var training = SupervisedFineTuning.Training with { Steps = parse.GetValue(steps) };
            Console.WriteLine($"fine-tuning {BaseModelPath()} into {path}: {training.Steps} steps of {training.BatchSize} × 256 tokens, learning rate {training.LearningRate}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            TrainingMetrics? last = null;
            double? heldOut = null;
            using var model = ModelCommands.WithProgress("SFT", training.Steps, report => SupervisedFineTuning.Run(path, training,
                m => { report(m); last = m; heldOut = m.ValidationLoss ?? heldOut; }));
            Console.WriteLine($"trained in {clock.Elapsed.TotalMinutes:F1} min; last loss {last?.Loss:F3}, held-out {heldOut:F3}");
            Console.WriteLine($"wrote {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F1} MB) and its model card");
            return 0;
        });
        return cmd;
    }

    static string BaseModelPath() => Path.Combine("data", BaseModel.RelativePath);

    /// <summary>`llmcourse chat`: an interactive, streaming chat with a shipped model.</summary>
    public static Command Chat()
    {
        var model = new Option<string>("--model") { Description = $"Which model: {string.Join(", ", CourseModels.All.Where(m => m.IsChat).Select(m => m.Name))}", DefaultValueFactory = _ => "assistant" };
        var temperature = new Option<double>("--temperature") { Description = "0 always takes the most likely token", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed for sampling", DefaultValueFactory = _ => 0 };
        var cmd = new Command("chat", "Chat with a course model in the terminal (/reset, /temperature 0.7, /quit)");
        cmd.Options.Add(model);
        cmd.Options.Add(temperature);
        cmd.Options.Add(seed);
        cmd.SetAction(parse =>
        {
            ChatAssistant assistant;
            try { assistant = CourseModels.LoadChat(parse.GetValue(model)!); }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or Modeling.CheckpointException)
            {
                Console.Error.WriteLine($"llmcourse chat: {e.Message}");
                return 2;
            }
            var session = new ChatSession(assistant) { Sampling = SamplingAt(parse.GetValue(temperature)) };
            var turn = parse.GetValue(seed);
            // Ctrl+C during a reply stops that reply; at the prompt it ends the program as usual.
            CancellationTokenSource? replying = null;
            Console.CancelKeyPress += (_, e) =>
            {
                if (replying is { } current) { e.Cancel = true; current.Cancel(); }
            };
            Console.WriteLine($"Chatting with '{parse.GetValue(model)}' ({assistant.Model.Model.ParameterCount:N0} parameters, {session.Sampling}). " +
                              "/reset forgets, /temperature T changes sampling, /quit ends; Ctrl+C stops a reply.");
            while (true)
            {
                Console.Write("\nyou> ");
                var line = Console.ReadLine();
                if (line is null || line.Trim() == "/quit") return 0;   // input closed (Ctrl+D, end of a piped file): a clean exit
                line = line.Trim();
                if (line.Length == 0) continue;
                if (line == "/reset") { session.Reset(); Console.WriteLine("(conversation forgotten)"); continue; }
                if (line.StartsWith("/temperature", StringComparison.Ordinal))
                {
                    if (double.TryParse(line["/temperature".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t >= 0 && double.IsFinite(t))
                    {
                        session.Sampling = SamplingAt(t);
                        Console.WriteLine($"(sampling: {session.Sampling})");
                    }
                    else Console.WriteLine("(usage: /temperature 0.7 — a number of 0 or more)");
                    continue;
                }
                if (line.StartsWith('/')) { Console.WriteLine("(commands: /reset, /temperature T, /quit)"); continue; }
                Console.Write("assistant> ");
                Console.WriteLine(Turn(session, line, turn++, (replying = new CancellationTokenSource()).Token));
                replying = null;
            }
        });
        return cmd;
    }

    /// <summary>
    /// One turn of the terminal chat: the reply streams to the console, and the returned line (often empty) says how it
    /// ended if that needs saying. Nothing a turn does ends the chat: a failure is one line, and the session, which records
    /// every turn, goes on.
    /// </summary>
    internal static string Turn(ChatSession session, string line, int seed, CancellationToken cancellation)
    {
        try
        {
            foreach (var e in session.Stream(line, seed, cancellation))
            {
                switch (e)
                {
                    case TextPiece piece: Console.Write(piece.Text); break;
                    case ToolCalled call: Console.Write($"\n  [tool call] {call.Call}"); break;
                    case ToolAnswered answer: Console.Write($"\n  [tool result] {answer.Result}\n  "); break;
                    case HarnessNote note: Console.Write($"\n  ({note.Text})"); break;
                    case ReplyFinished { End: ReplyEnd.MaxTokens or ReplyEnd.ContextFull } end: Console.Write($"\n  ({end.End}: the reply was cut off)"); break;
                }
            }
            return "";
        }
        catch (OperationCanceledException) { return "\n  (stopped)"; }
        catch (ContextWindowException e) { return $"\n({e.Message})"; }
        catch (Exception e) { return $"\n(the reply failed: {e.GetType().Name}: {e.Message})"; }
    }

    static Sampling SamplingAt(double temperature) => temperature == 0 ? Sampling.Greedy : new Sampling(temperature);
}
