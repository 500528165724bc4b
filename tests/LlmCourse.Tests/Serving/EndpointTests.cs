using System.Net;
using System.Text;
using LlmCourse.Chat;
using LlmCourse.Serving;
using Microsoft.Extensions.AI;

namespace LlmCourse.Tests.Serving;

/// <summary>
/// The notebook's way in: ChatEndpoint picks a configured OpenAI-compatible endpoint from the environment, or serves
/// the course model in process; it says which, and never shows a key. And the server stops cleanly.
/// </summary>
public class EndpointTests
{
    const string Key = "sk-test-very-secret-key-123";

    static Dictionary<string, ChatAssistant> TinyModels() => new() { ["tiny"] = TinyChat.Trained() };

    [Fact]
    public async Task ACourseModelServedInProcessAnswersThroughTheOpenAIClientUntilDisposed()
    {
        var endpoint = await ChatEndpoint.Serve(TinyModels(), "tiny");
        Uri baseUrl;
        await using (endpoint)
        {
            baseUrl = endpoint.BaseUrl;
            Assert.True(endpoint.IsCourseModel);
            Assert.Equal("tiny", endpoint.Model);
            Assert.Contains("served in this process", endpoint.Description);
            Assert.DoesNotContain(baseUrl.Port.ToString(), endpoint.Description);   // a free port, different every run
            Assert.Equal(IPAddress.Loopback.ToString(), baseUrl.Host);

            var response = await endpoint.Client.GetResponseAsync(TinyChat.ColourQuestion);
            Assert.Equal(TinyChat.ColourAnswer, response.Text);
        }
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(baseUrl, "models")));
    }

    [Fact]
    public async Task AConfiguredEndpointIsUsedAndItsKeyNeverShown()
    {
        await using var server = await CourseServer.StartAsync(TinyModels());
        var withUserInfo = new UriBuilder(server.BaseUrl) { UserName = "me", Password = Key }.Uri;

        foreach (var url in new[] { server.BaseUrl.ToString(), withUserInfo.ToString() })
        {
            await using var endpoint = WithEnvironment(url, Key, "tiny", () => ChatEndpoint.FromEnvironment());

            Assert.False(endpoint.IsCourseModel);
            Assert.DoesNotContain(Key, endpoint.Description);
            Assert.DoesNotContain(Key, endpoint.BaseUrl.ToString());
            Assert.DoesNotContain(Key, endpoint.ToString());
            Assert.Contains("'tiny' at " + server.BaseUrl, endpoint.Description);
            Assert.Contains("API key, not shown", endpoint.Description);
            Assert.Equal(TinyChat.ColourAnswer, (await endpoint.Client.GetResponseAsync(TinyChat.ColourQuestion)).Text);
        }
    }

    [Fact]
    public async Task AKeyAloneMeansOpenAIItself()
    {
        await using var endpoint = WithEnvironment(null, Key, "gpt-4o-mini", () => ChatEndpoint.FromEnvironment());

        Assert.Equal(ChatEndpoint.OpenAiBaseUrl, endpoint.BaseUrl);
        Assert.Equal("gpt-4o-mini", endpoint.Model);
        Assert.DoesNotContain(Key, endpoint.Description);
    }

    [Theory]
    [InlineData("http://localhost:1234/v1", null, "LLMCOURSE_MODEL")]
    [InlineData(Key, "tiny", "(not a URL)")]
    [InlineData("ftp://example.com/v1", "tiny", "http:// or https://")]
    public void AHalfConfiguredEnvironmentSaysWhatIsMissing(string url, string? model, string words)
    {
        var e = Assert.Throws<ArgumentException>(() => WithEnvironment(url, Key, model, () => ChatEndpoint.FromEnvironment()));

        Assert.Contains(words, e.Message);
        Assert.DoesNotContain(Key, e.Message);
    }

    [Fact]
    public async Task NothingConfiguredMeansTheShippedAssistantServedInProcess()
    {
        if (CourseModels.Find("assistant").Exists)
        {
            await using var endpoint = WithEnvironment(null, null, null, () => ChatEndpoint.FromEnvironment());
            Assert.True(endpoint.IsCourseModel);
            Assert.Equal("assistant", endpoint.Model);
            Assert.NotNull((await endpoint.Client.GetResponseAsync("Hi", new ChatOptions { MaxOutputTokens = 3 })).Usage);
        }
        else
        {
            // Until the assistant is trained, the error says how to build it.
            var e = Assert.Throws<FileNotFoundException>(() => WithEnvironment(null, null, null, () => ChatEndpoint.FromEnvironment()));
            Assert.Contains("llmcourse train sft", e.Message);
        }
    }

    [Fact]
    public async Task StoppingTheServerEndsAReplyInProgressAndSaysWhy()
    {
        var seed = TinyChat.SeedThatKeepsWriting();
        var slow = new CountingTokenizer(ChatTemplate.Course.Tokenizer) { OnToken = _ => Thread.Sleep(5) };
        var server = await CourseServer.StartAsync(new Dictionary<string, ChatAssistant> { ["random"] = TinyChat.Random(seed, context: 256, tokenizer: slow) });
        using var http = new HttpClient { BaseAddress = server.Url };
        var body = """{"model": "random", "stream": true, "max_tokens": 200, "messages": [{"role": "user", "content": "Tell me everything."}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        var rest = await reader.ReadToEndAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        Assert.True(slow.Written < 200, $"the reply went on to {slow.Written} tokens");
        Assert.Contains("\"error\"", rest);
        Assert.Contains("server is stopping", rest);
        Assert.DoesNotContain("[DONE]", rest);
    }

    /// <summary>Runs <paramref name="action"/> with the three variables set as given (null: unset), then puts them back.</summary>
    static T WithEnvironment<T>(string? url, string? key, string? model, Func<T> action)
    {
        string[] names = [ChatEndpoint.BaseUrlVariable, ChatEndpoint.ApiKeyVariable, ChatEndpoint.ModelVariable];
        var saved = names.Select(Environment.GetEnvironmentVariable).ToArray();
        try
        {
            Environment.SetEnvironmentVariable(names[0], url);
            Environment.SetEnvironmentVariable(names[1], key);
            Environment.SetEnvironmentVariable(names[2], model);
            return action();
        }
        finally
        {
            for (var i = 0; i < names.Length; i++) Environment.SetEnvironmentVariable(names[i], saved[i]);
        }
    }
}
