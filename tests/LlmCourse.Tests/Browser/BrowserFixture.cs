using LlmCourse.Chat;
using LlmCourse.Generation;
using LlmCourse.Serving;
using LlmCourse.Tests.Serving;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace LlmCourse.Tests.Browser;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>, driven through Debian's <c>chromium-driver</c> by Selenium) and two
/// servers for it to open:
/// <list type="bullet">
/// <item><see cref="Course"/>: the shipped base model, assistant and reasoner from data/models, plus two tiny test models
/// ("tiny" calls the calculator; "markup" answers with HTML), and one course model that is "not built".</item>
/// <item><see cref="Busy"/>: one slow model that may not queue a second request (maxWaiting 0), to show "server busy".</item>
/// </list>
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>In the page's catalog but with no file: the page must say which command builds it.</summary>
    public static readonly CourseModel NotBuilt =
        new("honest", "models/not-built-in-tests.ckpt", "the honest assistant (part 5)", "./llmcourse train honest", IsChat: true);

    public CourseServer Course { get; private set; } = null!;
    public CourseServer Busy { get; private set; } = null!;
    public CountingTokenizer SlowCounter { get; } = new(ChatTemplate.Course.Tokenizer);
    public ChromeDriver Driver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        var driverPath = Environment.GetEnvironmentVariable("CHROMEDRIVER_PATH") ?? "/usr/bin/chromedriver";
        if (!File.Exists(chromium) || !File.Exists(driverPath))
            throw new InvalidOperationException(
                $"The browser tests need Chromium and its driver ({chromium}, {driverPath}). On Debian: `apt-get install chromium chromium-driver` " +
                "(.ci/run does it); elsewhere set CHROMIUM_PATH and CHROMEDRIVER_PATH.");

        var chat = new Dictionary<string, ChatAssistant>(StringComparer.OrdinalIgnoreCase)
        {
            ["assistant"] = CourseModels.LoadChat("assistant"),
            ["reasoner"] = CourseModels.LoadChat("reasoner"),
            ["tiny"] = TinyChat.Trained(),
            ["markup"] = TinyChat.Markup(),
        };
        Course = await CourseServer.StartAsync(chat, baseModels: new Dictionary<string, LanguageModel> { ["base"] = LlmCourse.Training.BaseModel.LoadShipped() },
            unavailable: [NotBuilt]);
        SlowCounter.OnToken = _ => Thread.Sleep(20);   // 50 tokens a second at most: a reply takes seconds
        Busy = await CourseServer.StartAsync(
            new Dictionary<string, ChatAssistant> { ["slow"] = TinyChat.Random(TinyChat.SeedThatKeepsWriting(), context: 256, tokenizer: SlowCounter) },
            maxWaiting: 0);

        var options = new ChromeOptions { BinaryLocation = chromium };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1500,1000",
            "--no-first-run", "--disable-extensions");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        Driver?.Quit();
        if (Busy is not null) await Busy.DisposeAsync();
        if (Course is not null) await Course.DisposeAsync();
    }
}
