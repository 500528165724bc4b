using LlmCourse.Evaluation;

namespace LlmCourse.Tests.Evaluation;

/// <summary>Notebook 05's sweep chart, from the file `llmcourse train honest --sweep` writes.</summary>
public class HonestSweepTests
{
    const string Header = "threshold\tknown_training_facts\thallucination_rate\tover_refusal\tcorrect\twrong\trefused\tknown_held_out_facts";

    static string Write(params string[] rows)
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, [Header, .. rows]);
        return path;
    }

    [Fact]
    public void OverRefusalIsDrawnAsAShareOfTheFactsItKnew()
    {
        var html = HonestSweep.Chart(Write("0.2\t161\t0.5\t0.25\t0.1\t0.5\t0.4\t12", "0.6\t54\t0.1\t0.75\t0.05\t0.1\t0.85\t12")).ToHtml();
        Assert.Contains("over-refusal (refused, of the 12 facts it knew before)", html);
    }

    [Fact]
    public void WithNoFactKnownBeforeTheChartShowsRefusalsInsteadOfNaN()
    {
        var html = HonestSweep.Chart(Write("0.2\t161\t0.217\tNaN\t0.009\t0.217\t0.774\t0")).ToHtml();
        Assert.DoesNotContain("over-refusal (refused", html);
        Assert.Contains("refused (it knew none of these facts before)", html);
        Assert.DoesNotContain("NaN", html);
    }

    [Fact]
    public void AFileOfAnOlderFormatNamesItsLine()
    {
        var e = Assert.Throws<FormatException>(() => HonestSweep.Read(Write("0.2\t246\t0.632\t0.364\t0.047\t0.632\t0.321")));
        Assert.Contains("line 2: expected 8 tab-separated columns, found 7", e.Message);
    }
}
