using LlmCourse.Chat;
using LlmCourse.Data;
using LlmCourse.Training;

namespace LlmCourse;

/// <summary>One of the course's shipped models: its name, file under data/, what it is, and how to rebuild it.</summary>
/// <param name="IsChat">Whether it reads the chat template (an assistant) or continues documents (a base model).</param>
/// <param name="UsesTools">Whether it was trained to call the course's tools (the harness then runs them).</param>
public sealed record CourseModel(string Name, string RelativePath, string Description, string Rebuild, bool IsChat, bool UsesTools = false)
{
    public string Path => CourseData.PathOf(RelativePath);
    public bool Exists => File.Exists(Path);
}

/// <summary>
/// The shipped models by name, for the commands that take `--model NAME` (`llmcourse chat`, `serve`) and for the
/// setup check of notebook 00. Each part that ships a model adds it here.
/// </summary>
public static class CourseModels
{
    public static IReadOnlyList<CourseModel> All { get; } =
    [
        new("base", BaseModel.RelativePath, "the base model: continues documents like the toy web corpus (part 2)", "./llmcourse train base", IsChat: false),
        new("assistant", SupervisedFineTuning.RelativePath, "the assistant: the base model fine-tuned on conversations (part 4)", "./llmcourse train sft", IsChat: true),
        new("honest", HonestAssistant.RelativePath, "the assistant taught to say \"I don't know\" where it does not know (part 5)", "./llmcourse train honest", IsChat: true),
        new("tools", ToolAssistant.RelativePath, "the assistant that calls a search engine and a calculator (part 5)", "./llmcourse train tools", IsChat: true, UsesTools: true),
        new("reasoner", Reinforcement.Reasoner.RelativePath, "the assistant after RL on word problems (part 6)", "./llmcourse train rl", IsChat: true),
        new("dpo", Reinforcement.Rlhf.DpoRelativePath, "the assistant tuned on preference pairs with DPO (part 7)", "./llmcourse train dpo", IsChat: true),
    ];

    /// <summary>The model called <paramref name="name"/>; an unknown name gets an error listing the known ones.</summary>
    public static CourseModel Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"There is no course model called '{name}'. The models are: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));

    /// <summary>A chat model, ready to talk (with its tools, if it was trained to use them).</summary>
    public static ChatAssistant LoadChat(string name)
    {
        var model = Find(name);
        if (!model.IsChat)
            throw new ArgumentException($"'{model.Name}' is {model.Description}; it has no chat template and cannot hold a conversation. Try 'assistant'.", nameof(name));
        if (!model.Exists)
            throw new FileNotFoundException($"The model file {model.Path} is missing: `{model.Rebuild}` builds it.", model.Path);
        var assistant = SupervisedFineTuning.Load(model.Path);
        return model.UsesTools ? assistant.WithTools(ToolAssistant.ToolRunner(Tools.ToolBox.Course())) : assistant;
    }
}
