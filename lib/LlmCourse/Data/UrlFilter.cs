using System.Net;

namespace LlmCourse.Data;

/// <summary>The URL filter's decision: keep, or drop with a reason ("blocklisted domain", "file type .exe", ...).</summary>
public sealed record UrlVerdict(string Url, bool Keep, string? Reason)
{
    public override string ToString() => Keep ? $"keep {Url}" : $"drop {Url}: {Reason}";
}

/// <summary>
/// Step 1 of FineWeb: decide from the URL alone, before fetching, whether a page can belong in the
/// training set. A domain blocklist (FineWeb uses the UT1 list of adult, malware and scam sites; ours is
/// data/url-blocklist.txt) plus rules: downloads that are not documents, top-level domains that are
/// mostly spam, bare IP addresses as hosts, and words that mark adult content.
/// </summary>
public sealed class UrlFilter(IEnumerable<string> blockedDomains)
{
    readonly HashSet<string> blocked = blockedDomains.Select(d => d.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> BlockedExtensions = new HashSet<string> { ".exe", ".zip", ".apk", ".dmg", ".iso", ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".mp3", ".mp4", ".avi", ".bin" };
    public static readonly IReadOnlySet<string> SuspiciousTlds = new HashSet<string> { "xyz", "top", "click", "loan", "work", "bid", "win" };
    public static readonly IReadOnlyList<string> BannedWords = ["xxx", "porn", "casino", "warez", "keygen"];

    public IReadOnlySet<string> BlockedDomains => blocked;

    /// <summary>The filter with the shipped blocklist (data/url-blocklist.txt, compiled into the library).</summary>
    public static UrlFilter Default { get; } = new(LoadBlocklist(null));

    /// <summary>Domains from a blocklist file (one a line, # comments); null reads the shipped one.</summary>
    public static IEnumerable<string> LoadBlocklist(string? path) =>
        (path == null ? CourseData.ReadEmbedded("url-blocklist.txt") : File.ReadAllText(path))
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    public UrlVerdict Check(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            return new(url, false, "not an http(s) URL");
        var host = uri.Host.ToLowerInvariant();
        for (var h = host; h.Length > 0; h = h.Contains('.') ? h[(h.IndexOf('.') + 1)..] : "")
            if (blocked.Contains(h)) return new(url, false, "blocklisted domain");
        if (IPAddress.TryParse(host, out _)) return new(url, false, "IP address as host");
        var tld = host[(host.LastIndexOf('.') + 1)..];
        if (SuspiciousTlds.Contains(tld)) return new(url, false, $"suspicious TLD .{tld}");
        var ext = Path.GetExtension(uri.AbsolutePath).ToLowerInvariant();
        if (BlockedExtensions.Contains(ext)) return new(url, false, $"file type {ext}");
        var lower = url.ToLowerInvariant();
        foreach (var w in BannedWords)
            if (lower.Contains(w, StringComparison.Ordinal)) return new(url, false, "banned word in URL");
        return new(url, true, null);
    }
}
