using System.CommandLine;
using System.Diagnostics;
using System.Text;
using LlmCourse.Tokenization;

namespace LlmCourse.Cli.Commands;

public static class TokenizerCommands
{
    public static void Register(CommandGroups groups)
    {
        groups.Bench.Subcommands.Add(BenchTokenizer());
        groups.Data.Subcommands.Add(DataTokenizer());
    }

    /// <summary>`llmcourse data tokenizer`: trains the course tokenizer on the corpus and writes data/tokenizer/ (rank file + sidecar).</summary>
    static Command DataTokenizer()
    {
        var text = new Option<FileInfo?>("--text") { Description = "UTF-8 text to train on (default: the shipped corpus, data/corpus.parquet)" };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size (256 bytes + merges), before <|endoftext|>", DefaultValueFactory = _ => CourseTokenizer.VocabSize };
        var output = new Option<FileInfo?>("--out") { Description = $"Rank file to write (default data/{CourseTokenizer.RelativePath}); the sidecar goes to <out>.json" };
        var cmd = new Command("tokenizer", "Train the course BPE tokenizer (GPT-4 split pattern) on the corpus and save it in tiktoken format");
        cmd.Options.Add(text);
        cmd.Options.Add(vocab);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var file = parse.GetValue(text);
            var input = file is null ? CourseTokenizer.TrainingText() : File.ReadAllText(file.FullName);
            var target = parse.GetValue(output)?.FullName ?? LlmCourse.Data.CourseData.PathOf(CourseTokenizer.RelativePath);
            var clock = Stopwatch.StartNew();
            var tokenizer = CourseTokenizer.Train(input, parse.GetValue(vocab));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            tokenizer.Save(target);
            Console.WriteLine($"trained {tokenizer} on {input.Length:N0} chars ({(file is null ? "data/corpus.parquet" : file.FullName)}) in {clock.Elapsed.TotalSeconds:F1} s");
            Console.WriteLine($"wrote {target} and {BpeTokenizer.SidecarPath(target)}");
            if (file is null && parse.GetValue(output) is null)
            {
                // The shipped corpus records each document's length in this tokenizer's tokens, as FineWeb does.
                var corpus = LlmCourse.Data.CourseData.PathOf("corpus.parquet");
                var rows = LlmCourse.Data.CorpusParquet.WithTokenCounts(LlmCourse.Data.CorpusParquet.Read(corpus), tokenizer);
                LlmCourse.Data.CorpusParquet.Write(rows, corpus);
                Console.WriteLine($"filled token_count in {corpus}: {rows.Sum(r => (long)r.TokenCount!.Value):N0} tokens in {rows.Count:N0} documents");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>`llmcourse bench tokenizer`: BPE training time and throughput.</summary>
    static Command BenchTokenizer()
    {
        var vocab = new Option<int>("--vocab") { Description = "Target vocabulary size (256 bytes + merges)", DefaultValueFactory = _ => 4096 };
        var text = new Option<FileInfo?>("--text") { Description = "UTF-8 text file to train on (default: generated English-like text with many distinct words)" };
        var megabytes = new Option<int>("--mb") { Description = "Size of the generated default text, in MB", DefaultValueFactory = _ => 10 };
        var pattern = new Option<string>("--pattern") { Description = "Split pattern: gpt4, gpt4o, gpt2 or none", DefaultValueFactory = _ => "gpt4" };
        var cmd = new Command("tokenizer", "Train the course BPE tokenizer and print training time and MB/s");
        cmd.Options.Add(vocab);
        cmd.Options.Add(text);
        cmd.Options.Add(megabytes);
        cmd.Options.Add(pattern);
        cmd.SetAction(parse =>
        {
            var file = parse.GetValue(text);
            var split = parse.GetValue(pattern)!.ToLowerInvariant() switch
            {
                "gpt4" => SplitPatterns.Gpt4, "gpt4o" => SplitPatterns.Gpt4o, "gpt2" => SplitPatterns.Gpt2, "none" => SplitPatterns.None,
                var other => throw new ArgumentException($"unknown pattern {other}: use gpt4, gpt4o, gpt2 or none"),
            };
            var clock = Stopwatch.StartNew();
            string input;
            if (file is not null)
            {
                input = File.ReadAllText(file.FullName);
                Console.WriteLine($"text:       {file.FullName}");
            }
            else
            {
                input = SyntheticText.Generate(parse.GetValue(megabytes) * 1_000_000);
                Console.WriteLine($"text:       generated (SyntheticText, seed 1234) in {clock.Elapsed.TotalSeconds:F1} s");
            }
            double mb = Encoding.UTF8.GetByteCount(input) / 1e6;
            int vocabSize = parse.GetValue(vocab);
            Console.WriteLine($"size:       {mb:F1} MB UTF-8, {input.Length:N0} chars");
            Console.WriteLine($"pattern:    {parse.GetValue(pattern)}; target vocabulary {vocabSize:N0}; {Environment.ProcessorCount} cores");

            clock.Restart();
            var chunks = BpeTrainer.CountChunks(input, split);
            var splitTime = clock.Elapsed;
            var merges = BpeTrainer.Train(chunks, vocabSize - 256);
            var total = clock.Elapsed;
            Console.WriteLine($"chunks:     {chunks.Sum(c => (long)c.Count):N0} ({chunks.Count:N0} distinct)");
            Console.WriteLine($"split:      {splitTime.TotalSeconds:F2} s");
            Console.WriteLine($"merges:     {merges.Count:N0} in {(total - splitTime).TotalSeconds:F2} s");
            Console.WriteLine($"training:   {total.TotalSeconds:F2} s total, {mb / total.TotalSeconds:F2} MB/s");
            var tokenizer = new BpeTokenizer(merges, split);
            Console.WriteLine($"last merge: {tokenizer.Describe(merges[^1])}");

            clock.Restart();
            var ids = tokenizer.Encode(input);
            Console.WriteLine($"encoding:   {ids.Count:N0} tokens ({mb * 1e6 / ids.Count:F2} bytes/token) in {clock.Elapsed.TotalSeconds:F2} s, {mb / clock.Elapsed.TotalSeconds:F2} MB/s");
            return 0;
        });
        return cmd;
    }
}
