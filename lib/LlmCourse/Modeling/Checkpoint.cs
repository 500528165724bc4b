using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LlmCourse.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Modeling;

/// <summary>
/// A trained model in one file: its config, which tokenizer it reads, its weights, and (for a run
/// that should continue) the trainer's state. Everything needed to use or resume the model, nothing
/// that depends on the machine it was trained on.
/// </summary>
/// <remarks>
/// Layout, little-endian: the 8-byte magic "LLMCKPT1"; a 4-byte length and that many bytes of JSON
/// header (config, tokenizer identity, each tensor's name and shape, the sizes of what follows);
/// every tensor's values in header order (float32, or float16 where the header says so); the optimizer state (TorchSharp's own format), if
/// any; the 8-byte end marker "LLMCKEND". The header states every size, so a truncated file is
/// caught before anything is read into a model.
/// </remarks>
public sealed class Checkpoint
{
    static readonly byte[] Magic = "LLMCKPT1"u8.ToArray();
    static readonly byte[] EndMarker = "LLMCKEND"u8.ToArray();
    const int FormatVersion = 1;
    static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    Checkpoint(string path, Header header)
    {
        Path = path;
        Config = header.Config;
        Tokenizer = header.Tokenizer;
        TrainingState = header.Training;
        header_ = header;
    }

    readonly Header header_;

    /// <summary>The file it was read from.</summary>
    public string Path { get; }
    public GptConfig Config { get; }
    /// <summary>The tokenizer the model was trained with (null if saved without one).</summary>
    public TokenizerIdentity? Tokenizer { get; }
    /// <summary>The trainer's state as JSON (null for a weights-only checkpoint); read by the Training namespace.</summary>
    public string? TrainingState { get; }
    /// <summary>Whether optimizer moments were saved, so training can resume exactly.</summary>
    public bool HasOptimizerState => header_.OptimizerBytes > 0;

    /// <summary>
    /// Saves the model to <paramref name="path"/>, replacing it atomically. With <paramref name="halfPrecision"/>
    /// the weights are stored as 16-bit floats: half the size, for a checkpoint the course ships (they are
    /// widened back to 32 bits on loading; the logits move by about 1e-3).
    /// </summary>
    public static void Save(string path, Gpt model, TokenizerIdentity? tokenizer, bool halfPrecision = false) =>
        Save(path, model, tokenizer, null, null, halfPrecision);

    internal static void Save(string path, Gpt model, TokenizerIdentity? tokenizer, string? trainingState, byte[]? optimizerState, bool halfPrecision = false) =>
        Save(path, model, model.Config, tokenizer, trainingState, optimizerState, halfPrecision);

    /// <summary>
    /// Saves any module built around a GPT of <paramref name="config"/> (a GPT, or a reward model: a GPT plus a head):
    /// every named parameter, in order. Loading needs a module of the same structure (<see cref="LoadInto(torch.nn.Module, GptConfig, string)"/>).
    /// </summary>
    internal static void Save(string path, torch.nn.Module model, GptConfig config, TokenizerIdentity? tokenizer, string? trainingState, byte[]? optimizerState, bool halfPrecision = false)
    {
        var tensors = model.named_parameters().ToList();
        var header = new Header(FormatVersion, config, tokenizer,
            tensors.Select(t => new TensorEntry(t.name, t.parameter.shape, halfPrecision ? "float16" : null)).ToList(),
            trainingState, optimizerState?.LongLength ?? 0);

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // Write next to the target and rename: an interrupted save never leaves a half-written checkpoint.
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            stream.Write(Magic);
            var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
            stream.Write(length);
            stream.Write(json);
            foreach (var (_, parameter) in tensors)
            {
                using var scope = NewDisposeScope();
                var values = parameter.detach().contiguous().to(ScalarType.Float32);
                var data = values.data<float>().ToArray();
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoints are written little-endian.");
                if (halfPrecision)
                {
                    var halves = new Half[data.Length];
                    for (var i = 0; i < data.Length; i++) halves[i] = (Half)data[i];
                    stream.Write(MemoryMarshal.AsBytes(halves.AsSpan()));
                }
                else stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            }
            if (optimizerState is not null) stream.Write(optimizerState);
            stream.Write(EndMarker);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the header only: config, tokenizer, training state. Fails clearly on a damaged file.</summary>
    public static Checkpoint Read(string path)
    {
        using var stream = Open(path);
        return new Checkpoint(path, ReadHeader(stream, path).Header);
    }

    /// <summary>
    /// Builds the model the checkpoint describes and fills in its weights. Pass the tokenizer you will
    /// use with it: loading fails if it is not the one the model was trained with.
    /// </summary>
    public static Gpt Load(string path, ITokenizer? tokenizer = null)
    {
        var checkpoint = Read(path);
        if (tokenizer is not null) checkpoint.CheckTokenizer(tokenizer);
        var model = new Gpt(checkpoint.Config);
        try { LoadInto(model, path); }
        catch { model.Dispose(); throw; }
        return model;
    }

    /// <summary>Fills an existing model's weights; fails clearly if the model's config differs from the checkpoint's.</summary>
    public static Checkpoint LoadInto(Gpt model, string path) => LoadInto(model, path, null);

    internal static Checkpoint LoadInto(Gpt model, string path, Action<BinaryReader>? readOptimizer) => LoadInto(model, model.Config, path, readOptimizer);

    /// <summary>Fills a module saved with <see cref="Save(string, torch.nn.Module, GptConfig, TokenizerIdentity?, string?, byte[]?, bool)"/>.</summary>
    internal static Checkpoint LoadInto(torch.nn.Module model, GptConfig config, string path, Action<BinaryReader>? readOptimizer = null)
    {
        using var stream = Open(path);
        var (header, dataStart) = ReadHeader(stream, path);
        var checkpoint = new Checkpoint(path, header);

        if (header.Config != config)
            throw new CheckpointException(path,
                $"it holds a {header.Config}, but the model is a {config} ({Differences(header.Config, config)}). " +
                "Build the model from the checkpoint's config (Checkpoint.Load) or load a checkpoint of this shape.");

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expectedNames = string.Join(", ", parameters.Keys);
        foreach (var entry in header.Tensors)
        {
            if (!parameters.TryGetValue(entry.Name, out var p))
                throw new CheckpointException(path, $"it holds a tensor '{entry.Name}' the model does not have (the model has {expectedNames}).");
            if (!p.shape.SequenceEqual(entry.Shape))
                throw new CheckpointException(path, $"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}] but the model's is [{string.Join(", ", p.shape)}].");
        }
        var missing = parameters.Keys.Except(header.Tensors.Select(t => t.Name)).ToList();
        if (missing.Count > 0)
            throw new CheckpointException(path, $"it lacks the model's tensors {string.Join(", ", missing)}.");

        stream.Position = dataStart;
        using (no_grad())
        {
            foreach (var entry in header.Tensors)
            {
                var values = new float[entry.Shape.Aggregate(1L, (a, b) => a * b)];
                if (entry.IsHalf)
                {
                    var halves = new Half[values.Length];
                    stream.ReadExactly(MemoryMarshal.AsBytes(halves.AsSpan()));
                    for (var i = 0; i < values.Length; i++) values[i] = (float)halves[i];
                }
                else stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                using var source = tensor(values, entry.Shape);
                parameters[entry.Name].copy_(source);
            }
        }
        if (readOptimizer is not null && header.OptimizerBytes > 0)
        {
            using var reader = new BinaryReader(new SubStream(stream, stream.Position, header.OptimizerBytes), Encoding.UTF8, leaveOpen: true);
            readOptimizer(reader);
        }
        return checkpoint;
    }

    /// <summary>Throws if <paramref name="tokenizer"/> is not the one the model was trained with.</summary>
    public void CheckTokenizer(ITokenizer tokenizer)
    {
        if (tokenizer.VocabSize != Config.VocabSize)
            throw new CheckpointException(Path,
                $"the model reads {Config.VocabSize} token ids but tokenizer '{tokenizer.Name}' has {tokenizer.VocabSize}.");
        if (Tokenizer is null) return;
        var given = TokenizerIdentity.Of(tokenizer);
        if (!Tokenizer.Matches(given))
            throw new CheckpointException(Path,
                $"the model was trained with tokenizer {Tokenizer}, not {given}: the same ids would mean different text.");
    }

    static FileStream Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    static (Header Header, long DataStart) ReadHeader(FileStream stream, string path)
    {
        var length = stream.Length;
        Span<byte> magic = stackalloc byte[8];
        if (length < 12 || stream.Read(magic) != 8 || !magic.SequenceEqual(Magic))
            throw new CheckpointException(path, length < 12
                ? $"it is only {length} bytes long, too short to be a checkpoint (truncated?)."
                : "it is not a course checkpoint (it does not start with LLMCKPT1).");

        Span<byte> lengthBytes = stackalloc byte[4];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
        if (headerLength <= 0 || 12L + headerLength > length)
            throw new CheckpointException(path, $"it is truncated: the header alone should be {headerLength} bytes, the file has {length}.");

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        Header? header;
        try { header = JsonSerializer.Deserialize<Header>(json, Json); }
        catch (JsonException e) { throw new CheckpointException(path, $"its header is damaged ({e.Message})."); }
        if (header is null || header.Config is null || header.Tensors is null)
            throw new CheckpointException(path, "its header is incomplete.");
        if (header.Format != FormatVersion)
            throw new CheckpointException(path, $"it has format version {header.Format}; this library reads version {FormatVersion}.");

        var dataStart = stream.Position;
        if (header.Tensors.FirstOrDefault(t => t.DType is not (null or "float16")) is { } odd)
            throw new CheckpointException(path, $"tensor '{odd.Name}' is stored as {odd.DType}; this library reads float32 and float16.");
        var tensorBytes = header.Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b) * (t.IsHalf ? 2 : sizeof(float)));
        var expected = dataStart + tensorBytes + header.OptimizerBytes + EndMarker.Length;
        if (length < expected)
            throw new CheckpointException(path,
                $"it is truncated: {length:N0} bytes, but its header describes {expected:N0} (an interrupted copy or save?).");
        if (length > expected)
            throw new CheckpointException(path, $"it is {length:N0} bytes, longer than the {expected:N0} its header describes.");
        stream.Position = expected - EndMarker.Length;
        Span<byte> end = stackalloc byte[8];
        stream.ReadExactly(end);
        if (!end.SequenceEqual(EndMarker))
            throw new CheckpointException(path, "its end marker is missing: the file is damaged.");
        stream.Position = dataStart;
        return (header, dataStart);
    }

    static string Differences(GptConfig saved, GptConfig model)
    {
        var diffs = new List<string>();
        void Check<T>(string name, T a, T b) { if (!EqualityComparer<T>.Default.Equals(a, b)) diffs.Add($"{name} {a} in the file vs {b} in the model"); }
        Check(nameof(GptConfig.VocabSize), saved.VocabSize, model.VocabSize);
        Check(nameof(GptConfig.ContextLength), saved.ContextLength, model.ContextLength);
        Check(nameof(GptConfig.Layers), saved.Layers, model.Layers);
        Check(nameof(GptConfig.Heads), saved.Heads, model.Heads);
        Check(nameof(GptConfig.Width), saved.Width, model.Width);
        Check(nameof(GptConfig.Dropout), saved.Dropout, model.Dropout);
        Check(nameof(GptConfig.Bias), saved.Bias, model.Bias);
        Check(nameof(GptConfig.Positions), saved.Positions, model.Positions);
        Check(nameof(GptConfig.Norm), saved.Norm, model.Norm);
        Check(nameof(GptConfig.QkNorm), saved.QkNorm, model.QkNorm);
        Check(nameof(GptConfig.Activation), saved.Activation, model.Activation);
        Check(nameof(GptConfig.TiedHead), saved.TiedHead, model.TiedHead);
        return string.Join("; ", diffs);
    }

    public override string ToString() =>
        $"{System.IO.Path.GetFileName(Path)}: {Config}, tokenizer {Tokenizer?.ToString() ?? "unrecorded"}" + (TrainingState is null ? "" : ", with training state");

    sealed record Header(int Format, GptConfig Config, TokenizerIdentity? Tokenizer, List<TensorEntry> Tensors, string? Training, long OptimizerBytes);
    /// <summary>DType null means float32 (the default, not written out), "float16" half precision.</summary>
    sealed record TensorEntry(string Name, long[] Shape, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? DType = null)
    {
        [System.Text.Json.Serialization.JsonIgnore] public bool IsHalf => DType == "float16";
    }

    /// <summary>A read-only window onto part of a stream, so the optimizer reader cannot run past its section.</summary>
    sealed class SubStream(Stream inner, long start, long length) : Stream
    {
        long position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            if (n <= 0) return 0;
            inner.Position = start + position;
            n = inner.Read(buffer, offset, n);
            position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A checkpoint file that cannot be used, with the file and the reason in the message.</summary>
public sealed class CheckpointException(string path, string reason)
    : IOException($"Cannot load checkpoint '{path}': {reason}")
{
    public string FilePath { get; } = path;
}
