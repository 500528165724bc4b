using LlmCourse.Chat;
using LlmCourse.Tasks;

namespace LlmCourse.Reinforcement;

/// <summary>Practice problems with a verifiable reward: 1 when the reply's final answer is exactly right, else 0.</summary>
public sealed class WordProblemTask(IReadOnlyList<WordProblem> problems) : IRewardTask
{
    public IReadOnlyList<WordProblem> Problems { get; } = problems;
    public int Count => Problems.Count;
    public IReadOnlyList<Message> Prompt(int index) => [Message.User(Problems[index].Question)];
    public IReadOnlyList<double> Rewards(IReadOnlyList<(int Prompt, string Reply)> replies) =>
        replies.Select(r => WordProblems.Reward(r.Reply, Problems[r.Prompt])).ToList();
}
