using System.Globalization;

namespace LlmCourse.Data;

/// <summary>What one stage did: pages and characters in and out, time taken, and why pages were dropped.</summary>
public sealed record StageStats(string Stage, int PagesIn, int PagesOut, long CharsIn, long CharsOut, int Modified,
    TimeSpan Elapsed, IReadOnlyDictionary<string, int> DropReasons)
{
    public int Dropped => PagesIn - PagesOut;
    public double PagesPerSecond => Elapsed.TotalSeconds > 0 ? PagesIn / Elapsed.TotalSeconds : double.PositiveInfinity;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Stage,-16} {PagesIn,7} -> {PagesOut,7} pages  {CharsIn,12:N0} -> {CharsOut,12:N0} chars  {PagesPerSecond,9:N0} pages/s");
}

/// <summary>A page the pipeline dropped: at which stage, why, and (ground truth from the generator) what it really was.</summary>
public sealed record DroppedPage(string Url, string Stage, string Reason, PageKind Kind);

/// <summary>A page whose personal data was scrubbed: text before and after.</summary>
public sealed record PiiExample(string Url, string Before, string After, IReadOnlyList<PiiMatch> Matches);
