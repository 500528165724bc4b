using System.CommandLine;
using System.Runtime.InteropServices;
using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Serving;

namespace LlmCourse.Cli.Commands;

/// <summary>Part 8: `llmcourse serve`, the course's chat models behind an OpenAI-compatible HTTP server.</summary>
public static class ServeCommands
{


    public static Command Serve()
    {
        var allModels = string.Join(", ", CourseModels.All.Select(m => m.Name));
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 8000 };
        var model = new Option<string?>("--model") { Description = $"Serve only this model ({allModels}); by default every model that is built" };
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on: 127.0.0.1 or localhost (this machine only), 0.0.0.0 (every network interface: anyone who can reach this machine can use it)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var maxRequest = new Option<long>("--max-request-bytes")
        {
            Description = "Requests with a larger body are refused (413)",
            DefaultValueFactory = _ => CourseServer.DefaultMaxRequestBytes,
        };
        var cmd = new Command("serve",
            "Serve the course's models: a chat page at / and OpenAI's API (GET /v1/models, POST /v1/chat/completions, POST /v1/completions); Ctrl+C stops");
        cmd.Options.Add(port);
        cmd.Options.Add(model);
        cmd.Options.Add(host);
        cmd.Options.Add(maxRequest);
        cmd.SetAction((parse, cancel) => RunAsync(parse.GetValue(model), parse.GetValue(port), parse.GetValue(host)!, parse.GetValue(maxRequest), cancel));
        return cmd;
    }

    static async Task<int> RunAsync(string? model, int port, string host, long maxRequestBytes, CancellationToken cancel)
    {
        IReadOnlyDictionary<string, ChatAssistant> models;
        IReadOnlyDictionary<string, LanguageModel> baseModels;
        CourseServer server;
        try
        {
            // The base model is served as plain completions; the chat models as chat. With --model, just that one.
            var onlyBase = model is not null && !CourseModels.Find(model).IsChat;
            baseModels = CourseServer.ShippedBaseModels(model);
            if (onlyBase && baseModels.Count == 0)
                throw new FileNotFoundException($"The base model is not built: `{CourseModels.Find(model!).Rebuild}` builds it.");
            models = onlyBase ? new Dictionary<string, ChatAssistant>()
                : baseModels.Count > 0 && model is null && !CourseModels.All.Any(m => m.IsChat && m.Exists) ? new Dictionary<string, ChatAssistant>()
                : CourseServer.ShippedModels(model);
            var served = models.Keys.Concat(baseModels.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
            server = await CourseServer.StartAsync(models, port, host, maxRequestBytes, log: Console.WriteLine, cancel,
                baseModels: baseModels, unavailable: [.. CourseModels.All.Where(m => !served.Contains(m.Name))]);
        }
        catch (Exception e) when (e is ArgumentException or IOException or Modeling.CheckpointException)
        {
            // CourseModels' errors name their parameter; on the command line that is noise.
            var message = e is ArgumentException { ParamName: { } param } ? e.Message.Replace($" (Parameter '{param}')", "") : e.Message;
            Console.Error.WriteLine($"llmcourse serve: {message}");
            return 2;
        }
        catch (OperationCanceledException) { return 130; }

        await using (server)
        {
            foreach (var (name, assistant) in models)
                Console.WriteLine($"serving '{name}': {assistant.Model.Model.ParameterCount:N0} parameters, context {assistant.Model.Model.Config.ContextLength} tokens" +
                                  (assistant.Tools is null ? "" : ", with its tools"));
            foreach (var (name, lm) in baseModels)
                Console.WriteLine($"serving '{name}' as plain completions: {lm.Model.ParameterCount:N0} parameters, " +
                                  $"context {lm.Model.Config.ContextLength} tokens");
            Console.WriteLine($"chat page at {server.Url} (open it in a browser)");
            Console.WriteLine($"OpenAI-compatible API at {server.BaseUrl} (set it as an OpenAI client's base URL; any API key works)");
            Console.WriteLine($"try: curl {server.BaseUrl}chat/completions -H 'Content-Type: application/json' -d '{{\"model\": \"{server.Models[0]}\", \"messages\": [{{\"role\": \"user\", \"content\": \"What is the capital of France?\"}}]}}'");
            Console.WriteLine("one line per request below; Ctrl+C stops");
            // Ctrl+C (SIGINT) and SIGTERM stop the server cleanly: taken here, because left alone the runtime ends the
            // process at once (System.CommandLine's own handling did not catch them in this command).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            void Stop(PosixSignalContext signal) { signal.Cancel = true; stop.Cancel(); }
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
            Console.WriteLine("stopping: replies still being written are cancelled");
        }
        Console.WriteLine("stopped");
        return 0;
    }
}
