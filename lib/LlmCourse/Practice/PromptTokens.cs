using LlmCourse.Chat;
using LlmCourse.Tokenization;
using LlmCourse.Visuals;

namespace LlmCourse.Practice;

/// <summary>How many tokens one text is to one tokenizer (what a provider bills, and what fills a context window).</summary>
public sealed record TokenCount(string Tokenizer, int Tokens, int Characters)
{
    /// <summary>How much text a token carries on average here (about 4 characters of English for the GPT tokenizers).</summary>
    public double CharactersPerToken => Tokens == 0 ? 0 : Math.Round((double)Characters / Tokens, 2);
}

/// <summary>
/// Counting a prompt's tokens the way the models that read it do: GPT-4's cl100k_base, GPT-4o's o200k_base, and the
/// course's own 4,096-token BPE. A provider bills tokens, not characters, and the same text costs a different number
/// of them in each.
/// </summary>
/// <example>
/// <code>
/// PromptTokens.Compare("The capital of France is Paris.")   // a table: tokenizer, tokens, characters, characters per token
/// PromptTokens.Count(prompt, TiktokenEncoding.O200kBase)     // one number
/// </code>
/// </example>
public static class PromptTokens
{
    /// <summary>cl100k_base (GPT-4, GPT-3.5), o200k_base (GPT-4o and later), and the course tokenizer.</summary>
    public static IReadOnlyList<ITokenizer> Standard => [TiktokenEncoding.Cl100kBase, TiktokenEncoding.O200kBase, ChatTemplate.Course.Tokenizer];

    public static int Count(string text, ITokenizer tokenizer) => tokenizer.Encode(text).Count;

    /// <summary>The text's token count in each tokenizer (the <see cref="Standard"/> three if none are given).</summary>
    public static TokenCountTable Compare(string text, params ITokenizer[] tokenizers) =>
        new(text, [.. (tokenizers.Length > 0 ? tokenizers : Standard).Select(t => new TokenCount(t.Name, Count(text, t), text.Length))]);

    /// <summary>
    /// What a conversation costs in tokens as a prompt. For the course tokenizer it is exact: the conversation rendered
    /// by the chat template, special tokens included. For OpenAI's tokenizers it is OpenAI's published estimate
    /// (their cookbook's <c>num_tokens_from_messages</c>): each message's role and content, 3 tokens of chat markup per
    /// message, and 3 that start the reply.
    /// </summary>
    public static int CountChat(IReadOnlyList<Message> messages, ITokenizer tokenizer)
    {
        if (tokenizer is BpeTokenizer) return ChatTemplate.Course.Prompt(messages).Count;   // the course's BPE reads the course template
        const int perMessage = 3, replyPrimer = 3;
        return messages.Sum(m => perMessage + Count(OpenAiRole(m.Role), tokenizer) + Count(m.Content, tokenizer)) + replyPrimer;
    }

    /// <summary>Our roles by OpenAI's names (a tool call is the assistant's; a result is the tool's).</summary>
    static string OpenAiRole(Role role) => role switch
    {
        Role.User => "user",
        Role.ToolResult => "tool",
        _ => "assistant",
    };
}

/// <summary>One text's token counts, one row per tokenizer.</summary>
public sealed class TokenCountTable(string text, IReadOnlyList<TokenCount> counts) : HtmlView
{
    public string Text { get; } = text;
    public IReadOnlyList<TokenCount> Counts { get; } = counts;

    /// <summary>The count for the tokenizer whose name contains <paramref name="tokenizer"/> ("o200k", "course").</summary>
    public int this[string tokenizer] =>
        Counts.FirstOrDefault(c => c.Tokenizer.Contains(tokenizer, StringComparison.OrdinalIgnoreCase))?.Tokens
        ?? throw new KeyNotFoundException($"No tokenizer called '{tokenizer}' here; there are {string.Join(", ", Counts.Select(c => c.Tokenizer))}.");

    Table View => Table.Of(Counts.Select(c => new { tokenizer = c.Tokenizer, tokens = c.Tokens, characters = c.Characters, characters_per_token = c.CharactersPerToken }));

    public override string ToHtml() => View.ToHtml();
    public override string ToText() => View.ToText();
}
