namespace LlmCourse.Generation;

/// <summary>One step of generation: the token chosen, the text it completed, and how likely it was.</summary>
/// <param name="Id">The chosen token id.</param>
/// <param name="Text">
/// The text this token completes. A token may hold part of a multi-byte character; its text is then
/// empty and the character appears with the token that finishes it. Concatenating the texts of all
/// generated tokens gives the decoded continuation.
/// </param>
/// <param name="Probability">The probability the sampler gave the chosen token.</param>
public sealed record GeneratedToken(int Id, string Text, double Probability)
{
    public override string ToString() => Text;
}
