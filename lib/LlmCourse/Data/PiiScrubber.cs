using System.Text.RegularExpressions;

namespace LlmCourse.Data;

/// <summary>One replacement the scrubber made: what kind, the original text, where it was in the input.</summary>
public sealed record PiiMatch(string Kind, string Original, int Index);

/// <summary>The scrubbed text and what was replaced.</summary>
public sealed record PiiResult(string Text, IReadOnlyList<PiiMatch> Matches)
{
    public bool Changed => Matches.Count > 0;
}

/// <summary>
/// Step 5d: remove personally identifiable information that is easy to find with patterns — email
/// addresses, phone numbers and IPv4 addresses — replacing each with a placeholder ([EMAIL], [PHONE],
/// [IP]). FineWeb does the same for emails and IPs. Names and street addresses are not touched: a
/// pattern cannot tell them from ordinary text, which is why real pipelines still leak some personal data.
/// </summary>
public static partial class PiiScrubber
{
    public const string EmailPlaceholder = "[EMAIL]", PhonePlaceholder = "[PHONE]", IpPlaceholder = "[IP]";

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    // An optional country code, then groups of digits separated by spaces, dots or dashes, at least 9
    // digits in all (years, prices and arithmetic never look like this).
    [GeneratedRegex(@"(?<![\w.+-])(\+\d{1,3}[ .-]?)?(\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}(?![\w-])")]
    private static partial Regex Phone();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)")]
    private static partial Regex Ipv4();

    public static PiiResult Scrub(string text)
    {
        var matches = new List<PiiMatch>();
        // Emails first: their digits must not be mistaken for phone numbers.
        text = Replace(text, Email(), "email", EmailPlaceholder, matches);
        text = Replace(text, Ipv4(), "ip", IpPlaceholder, matches);
        text = Replace(text, Phone(), "phone", PhonePlaceholder, matches);
        return new PiiResult(text, matches);
    }

    static string Replace(string text, Regex regex, string kind, string placeholder, List<PiiMatch> matches) =>
        regex.Replace(text, m =>
        {
            if (kind == "phone" && m.Value.Count(char.IsDigit) < 9) return m.Value;
            matches.Add(new PiiMatch(kind, m.Value, m.Index));
            return placeholder;
        });
}
