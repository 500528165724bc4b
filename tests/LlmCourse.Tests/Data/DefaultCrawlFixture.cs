using LlmCourse.Data;

namespace LlmCourse.Tests.DataPipeline;

/// <summary>The default crawl run through the pipeline once (about 20 s), shared by the tests that look at the whole corpus.</summary>
public sealed class DefaultCrawlFixture
{
    public CorpusBuild.Output Output { get; } = CorpusBuild.Run();
    public Crawl Crawl => Output.Crawl;
    public PipelineResult Result => Output.Result;
}

[CollectionDefinition("default crawl")]
public sealed class DefaultCrawlCollection : ICollectionFixture<DefaultCrawlFixture>;
