using System.Diagnostics;
using System.Text.Json.Nodes;
using NetMQ;

namespace LlmCourse.Tests.Jupyter;

/// <summary>One kernel process shared by the protocol tests that leave it running.</summary>
public sealed class SharedKernel : IDisposable
{
    public TestKernel Kernel { get; } = new();
    public void Dispose() => Kernel.Dispose();
}

/// <summary>
/// `llmcourse kernel` speaks the Jupyter messaging protocol 5.3: a client written from the specification
/// (<see cref="TestKernel"/>) drives a real kernel process over ZeroMQ.
/// </summary>
public class KernelProtocolTests(SharedKernel shared) : IClassFixture<SharedKernel>
{
    readonly TestKernel _kernel = shared.Kernel;

    static string State(Message m) => m.Content["execution_state"]!.GetValue<string>();
    static string Str(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public void KernelInfo()
    {
        var id = _kernel.Send(_kernel.Shell, "kernel_info_request", []);
        var reply = _kernel.Receive(_kernel.Shell);
        var iopub = _kernel.IOPubOf(id);

        Assert.Equal("kernel_info_reply", reply.Type);
        Assert.Equal(id, reply.ParentId);
        Assert.Equal("ok", Str(reply.Content["status"]));
        Assert.Equal("5.3", Str(reply.Content["protocol_version"]));
        Assert.Equal("llmcourse", Str(reply.Content["implementation"]));
        Assert.Equal("csharp", Str(reply.Content["language_info"]!["name"]));
        Assert.Equal(".cs", Str(reply.Content["language_info"]!["file_extension"]));
        Assert.Equal(["busy", "idle"], iopub.Where(m => m.Type == "status").Select(State));
    }

    [Fact]
    public void ExecuteKeepsStateAcrossRequests()
    {
        var (first, firstIOPub) = _kernel.Execute("var answerBase = 20;\nint Twice(int x) => 2 * x;");
        var (second, secondIOPub) = _kernel.Execute("Twice(answerBase) + 2");

        Assert.Equal("ok", Str(first.Content["status"]));
        Assert.Equal("ok", Str(second.Content["status"]));
        var count = first.Content["execution_count"]!.GetValue<int>();
        Assert.Equal(count + 1, second.Content["execution_count"]!.GetValue<int>());
        Assert.DoesNotContain(firstIOPub, m => m.Type == "execute_result");   // a statement has no value
        var input = Assert.Single(secondIOPub, m => m.Type == "execute_input");
        Assert.Equal("Twice(answerBase) + 2", Str(input.Content["code"]));
        var result = Assert.Single(secondIOPub, m => m.Type == "execute_result");
        Assert.Equal(count + 1, result.Content["execution_count"]!.GetValue<int>());
        Assert.Contains("<pre>42</pre>", Str(result.Content["data"]!["text/html"]));   // numbers are text/html, as in the .NET kernel
        Assert.Equal(["busy", "idle"], secondIOPub.Where(m => m.Type == "status").Select(State));
    }

    [Fact]
    public void StreamThenDisplayAndItsUpdates()
    {
        var (reply, iopub) = _kernel.Execute(
            "Console.WriteLine(\"hello\");\nvar handle = display(\"first\");\nhandle.Update(\"second\");\nhandle.Update(\"third\");");

        Assert.Equal("ok", Str(reply.Content["status"]));
        var outputs = iopub.Where(m => m.Type is not ("status" or "execute_input")).ToList();
        Assert.Equal(["stream", "display_data", "update_display_data", "update_display_data"], outputs.Select(m => m.Type));
        Assert.Equal("stdout", Str(outputs[0].Content["name"]));
        Assert.Equal("hello\n", Str(outputs[0].Content["text"]).Replace("\r\n", "\n"));
        Assert.Equal(["first", "second", "third"], outputs.Skip(1).Select(m => Str(m.Content["data"]!["text/plain"])));
        // Every update names the output display() made, so a front end redraws it in place.
        var ids = outputs.Skip(1).Select(m => Str(m.Content["transient"]!["display_id"])).ToList();
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public void ErrorHasItsNameMessageAndTraceback()
    {
        var (reply, iopub) = _kernel.Execute("var numbers = new int[1];\nnumbers[3] = 1;");

        Assert.Equal("error", Str(reply.Content["status"]));
        Assert.Equal("System.IndexOutOfRangeException", Str(reply.Content["ename"]));
        var error = Assert.Single(iopub, m => m.Type == "error");
        Assert.Equal("System.IndexOutOfRangeException", Str(error.Content["ename"]));
        Assert.Contains("outside the bounds", Str(error.Content["evalue"]));
        var traceback = error.Content["traceback"]!.AsArray().Select(Str).ToList();
        Assert.Contains("line 2: numbers[3] = 1;", traceback);
    }

    [Fact]
    public void CompilationErrorIsAnErrorToo()
    {
        var (reply, _) = _kernel.Execute("int y = \"text\";");
        Assert.Equal("error", Str(reply.Content["status"]));
        Assert.Equal("CompilationError", Str(reply.Content["ename"]));
        Assert.Contains("CS0029", Str(reply.Content["evalue"]));
    }

    [Theory]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("var s = \"open", "incomplete")]
    [InlineData("Console.WriteLine(1);", "complete")]
    [InlineData("var x = ;", "invalid")]
    public void IsComplete(string code, string status)
    {
        var reply = _kernel.Request("is_complete_request", new JsonObject { ["code"] = code });

        Assert.Equal("is_complete_reply", reply.Type);
        Assert.Equal(status, Str(reply.Content["status"]));
        if (status == "incomplete") Assert.NotNull(reply.Content["indent"]);
    }

    [Fact]
    public void CompletionOffersMembersOfWhatEarlierCellsDeclared()
    {
        _kernel.Execute("var greeting = new StringBuilder(\"hi\");");

        var members = _kernel.Request("complete_request", new JsonObject { ["code"] = "greeting.App", ["cursor_pos"] = 12 });
        var scope = _kernel.Request("complete_request", new JsonObject { ["code"] = "var n = greet", ["cursor_pos"] = 13 });

        Assert.Equal("ok", Str(members.Content["status"]));
        var matches = members.Content["matches"]!.AsArray().Select(Str).ToList();
        Assert.Contains("Append", matches);
        Assert.Contains("AppendLine", matches);
        Assert.Equal(9, members.Content["cursor_start"]!.GetValue<int>());
        Assert.Equal(12, members.Content["cursor_end"]!.GetValue<int>());
        Assert.Contains("greeting", scope.Content["matches"]!.AsArray().Select(Str));
    }

    [Fact]
    public void InterruptStopsAnEndlessLoopAndTheKernelLivesOn()
    {
        var id = _kernel.Send(_kernel.Shell, "execute_request",
            TestKernel.Execution("var spins = 0L;\nwhile (true) { if (++spins == 1) Console.WriteLine(\"looping\"); }"));
        while (_kernel.Receive(_kernel.IOPub) is var m && !(m.ParentId == id && m.Type == "stream")) { }   // inside the loop
        var clock = Stopwatch.StartNew();

        _kernel.Send(_kernel.Control, "interrupt_request", []);
        var interruptReply = _kernel.Receive(_kernel.Control);
        var reply = _kernel.Receive(_kernel.Shell);

        Assert.Equal("interrupt_reply", interruptReply.Type);
        Assert.Equal("ok", Str(interruptReply.Content["status"]));
        Assert.Equal(id, reply.ParentId);
        Assert.Equal("error", Str(reply.Content["status"]));
        Assert.Equal("Interrupted", Str(reply.Content["ename"]));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the interrupt took {clock.Elapsed}");
        Assert.False(_kernel.Process.HasExited);
        var (after, iopub) = _kernel.Execute("spins > 0");   // alive, and the cell's state up to the interrupt is kept
        Assert.Equal("ok", Str(after.Content["status"]));
        Assert.Contains("True", Str(iopub.Single(m => m.Type == "execute_result").Content["data"]!["text/html"]));
    }

    [Fact]
    public void WronglySignedMessageIsIgnored()
    {
        _kernel.Send(_kernel.Shell, "kernel_info_request", [], badSignature: true);
        Assert.Null(_kernel.TryReceive(_kernel.Shell, TimeSpan.FromSeconds(2)));

        // A correctly signed message sent twice (a replay) is answered once.
        var frames = _kernel.Frames("kernel_info_request", []);
        _kernel.Shell.SendMultipartBytes(frames);
        Assert.Equal("kernel_info_reply", _kernel.Receive(_kernel.Shell).Type);
        _kernel.Shell.SendMultipartBytes(frames);
        Assert.Null(_kernel.TryReceive(_kernel.Shell, TimeSpan.FromSeconds(2)));
        Assert.Contains("bad signature", _kernel.KernelOutput);
    }

    [Fact]
    public void ConsoleReadLineAsksTheFrontEndOverStdin()
    {
        var id = _kernel.Send(_kernel.Shell, "execute_request", TestKernel.Execution("Console.Write(\"Name? \");\nvar name = Console.ReadLine();\n$\"Hello, {name}\"", allowStdin: true));

        var request = _kernel.Receive(_kernel.Stdin);
        Assert.Equal("input_request", request.Type);
        Assert.Equal(id, request.ParentId);
        _kernel.Stdin.SendMultipartBytes(_kernel.Frames("input_reply", new JsonObject { ["value"] = "Ada" }, request.Header));
        var reply = _kernel.Receive(_kernel.Shell);
        var iopub = _kernel.IOPubOf(id);

        Assert.Equal("ok", Str(reply.Content["status"]));
        Assert.Equal("Name? ", Str(iopub.First(m => m.Type == "stream").Content["text"]));
        Assert.Equal("Hello, Ada", Str(iopub.Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]));
    }

    [Fact]
    public void HeartbeatEchoes()
    {
        _kernel.Heartbeat.SendFrame("ping");
        Assert.True(_kernel.Heartbeat.TryReceiveFrameString(TimeSpan.FromSeconds(10), out var echo));
        Assert.Equal("ping", echo);
    }
}

/// <summary>Shutdown ends the kernel process, so it gets a kernel of its own.</summary>
public class KernelShutdownTests
{
    [Fact]
    public void ShutdownRepliesAndEndsTheProcess()
    {
        using var kernel = new TestKernel();

        kernel.Send(kernel.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        var reply = kernel.Receive(kernel.Control);

        Assert.Equal("shutdown_reply", reply.Type);
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.False(reply.Content["restart"]!.GetValue<bool>());
        Assert.True(kernel.Process.WaitForExit(15_000), "the kernel process did not exit after shutdown_request");
        Assert.Equal(0, kernel.Process.ExitCode);
    }
}
