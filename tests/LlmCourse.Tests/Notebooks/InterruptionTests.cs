using LlmCourse.Notebooks;
using LlmCourse.Notebooks.Kernel;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmCourse.Tests.Notebooks;

/// <summary>The checks that make a cell interruptible go into every loop and body, and change no line number.</summary>
public class InterruptionTests
{
    static readonly CSharpParseOptions Script = new(LanguageVersion.Latest, kind: Microsoft.CodeAnalysis.SourceCodeKind.Script);

    [Theory]
    [InlineData("while (true) {}", 1)]
    [InlineData("for (int i = 0; ; i++)\n    Console.Write(i);", 1)]
    [InlineData("do x++; while (x < 3);", 1)]
    [InlineData("foreach (var (a, b) in pairs) { Use(a); }\nforeach (var c in cs) Use(c);", 2)]
    [InlineData("int F(int n) { return n; }\nFunc<int, int> g = n => { return n; };\nFunc<int, int> h = n => n;", 2)]
    [InlineData("class C { public C() { } int P { get { return 1; } } void M() => M(); }", 2)]
    [InlineData("var s = \"while (true) { }\"; // for (;;) {}", 0)]
    public void ChecksGoIntoLoopsAndBodiesOnTheSameLines(string code, int checks)
    {
        var instrumented = Interruption.Instrument(code, Script);

        Assert.Equal(checks, instrumented.Split(Interruption.CheckCall).Length - 1);
        Assert.Equal(code.Split('\n').Length, instrumented.Split('\n').Length);
        var before = CSharpSyntaxTree.ParseText(code, Script).GetDiagnostics().Select(d => d.Id).ToHashSet();
        Assert.DoesNotContain(CSharpSyntaxTree.ParseText(instrumented, Script).GetDiagnostics(), d => !before.Contains(d.Id));
    }

    [Fact]
    public void CodeWithoutLoopsIsLeftAsItIs()
    {
        const string code = "var x = 1;\nConsole.WriteLine(x);";
        Assert.Same(code, Interruption.Instrument(code, Script));
    }
}

/// <summary>What a cell keeps of its output: streams joined, displays updated wherever they are, a cap with a note.</summary>
public class OutputAreasTests
{
    [Fact]
    public void StreamsJoinAndUpdatesReplaceAcrossCells()
    {
        var areas = new OutputAreas();
        areas.Stream(0, "stdout", "a");
        areas.Stream(0, "stdout", "b\n");
        areas.Add(0, new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "v1" }, DisplayId: "d"));
        areas.Stream(0, "stdout", "c\n");
        areas.Update(new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "v2" }, DisplayId: "d"));
        areas.Update(new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "ignored" }, DisplayId: "unknown"));

        var outputs = areas.For(0);
        Assert.Equal("ab\n", Assert.IsType<StreamOutput>(outputs[0]).Text);
        Assert.Equal("v2", Assert.IsType<DisplayOutput>(outputs[1]).Text);
        Assert.Equal("c\n", Assert.IsType<StreamOutput>(outputs[2]).Text);
        Assert.Equal(3, outputs.Count);
    }

    [Fact]
    public void FiftyMegabytesArePrintedInLinearTimeAndCappedWithANote()
    {
        var areas = new OutputAreas(maxStreamCharacters: 1000, maxOutputs: 3);
        var line = new string('x', 99) + "\n";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 500_000; i++) areas.Stream(0, "stdout", line);   // 50 MB
        for (int i = 0; i < 5; i++) areas.Add(0, new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = $"{i}" }));
        areas.Add(0, new ErrorOutput("E", "kept whatever the cap", []));

        var outputs = areas.For(0);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(1000, Assert.IsType<StreamOutput>(outputs[0]).Text.Length);
        Assert.IsType<ErrorOutput>(outputs[^2]);
        var note = Assert.IsType<StreamOutput>(outputs[^1]).Text;
        Assert.Contains("49,999,000 of the 50,000,000 characters this cell printed", note);
        Assert.Contains("3 outputs after the first 3", note);
    }
}
