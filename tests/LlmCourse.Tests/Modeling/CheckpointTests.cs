using LlmCourse.Modeling;
using LlmCourse.Tests.Support;

namespace LlmCourse.Tests.Modeling;

public class CheckpointTests
{
    static readonly TokenizerIdentity Lowercase = TokenizerIdentity.Of(CharTokenizer.Lowercase);

    [Fact]
    public void ARoundTripRestoresTheSameModel()
    {
        var path = TestPaths.TempFile("model.ckpt");
        using var original = new Gpt(Tiny.Config(), seed: 11);
        Checkpoint.Save(path, original, Lowercase);

        using var loaded = Checkpoint.Load(path, CharTokenizer.Lowercase);
        Assert.Equal(original.Config, loaded.Config);
        Assert.Equal(original.NextTokenLogits([4, 7, 0, 19]), loaded.NextTokenLogits([4, 7, 0, 19]));

        var info = Checkpoint.Read(path);
        Assert.Equal(Lowercase, info.Tokenizer);
        Assert.Null(info.TrainingState);
    }

    [Fact]
    public void HalfPrecisionHalvesTheFileAndKeepsThePredictions()
    {
        var full = TestPaths.TempFile("full.ckpt");
        var half = TestPaths.TempFile("half.ckpt");
        using var model = new Gpt(Tiny.Config(), seed: 12);
        Checkpoint.Save(full, model, Lowercase);
        Checkpoint.Save(half, model, Lowercase, halfPrecision: true);

        Assert.InRange(new FileInfo(half).Length, new FileInfo(full).Length * 0.45, new FileInfo(full).Length * 0.6);
        using var loaded = Checkpoint.Load(half);
        var expected = model.NextTokenLogits([5, 6, 7]);
        var actual = loaded.NextTokenLogits([5, 6, 7]);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 0.01f));
        Assert.NotEqual(expected, actual);   // it really was rounded
    }

    [Fact]
    public void LoadingIntoAModelOfAnotherShapeSaysWhatDiffers()
    {
        var path = TestPaths.TempFile("two-layers.ckpt");
        using var saved = new Gpt(Tiny.Config());
        Checkpoint.Save(path, saved, Lowercase);

        using var deeper = new Gpt(Tiny.Config() with { Layers = 3 });
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.LoadInto(deeper, path));
        Assert.Contains(path, e.Message);
        Assert.Contains("Layers 2 in the file vs 3 in the model", e.Message);
    }

    [Fact]
    public void ATruncatedFileIsReportedAsTruncated()
    {
        var path = TestPaths.TempFile("cut.ckpt");
        using var model = new Gpt(Tiny.Config());
        Checkpoint.Save(path, model, Lowercase);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);

        File.WriteAllBytes(path, bytes[..20]);   // cut inside the header
        Assert.Contains("truncated", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void AFileThatIsNotACheckpointIsRejected()
    {
        var path = TestPaths.TempFile("notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "these are not the weights you are looking for");
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("not a course checkpoint", e.Message);
    }

    [Fact]
    public void AMissingFileNamesThePath()
    {
        var path = TestPaths.TempFile("nowhere.ckpt");
        var e = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void LoadingWithAnotherTokenizerIsRefused()
    {
        var path = TestPaths.TempFile("model.ckpt");
        using var model = new Gpt(Tiny.Config());
        Checkpoint.Save(path, model, Lowercase);

        // Same size, different meaning: the ids would decode to other text.
        var shuffled = new CharTokenizer(".\n abcdefghijklmnopqrstuvwxyz", "shuffled");
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, shuffled));
        Assert.Contains("trained with tokenizer 'lowercase chars'", e.Message);

        var smaller = new CharTokenizer("abc");
        Assert.Contains("has 3", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, smaller)).Message);
    }
}
