using System.Text.Json.Serialization;

namespace LlmCourse.Modeling;

/// <summary>
/// The shape of a GPT: everything needed to build one, and nothing learned.
/// Two models with equal configs have parameters of identical shapes, so a checkpoint saved from
/// one loads into the other.
/// </summary>
/// <param name="VocabSize">How many distinct tokens the model can read and predict (the tokenizer's vocabulary).</param>
/// <param name="ContextLength">The longest token window the model sees at once (its position table has this many rows).</param>
/// <param name="Layers">How many transformer blocks are stacked.</param>
/// <param name="Heads">Attention heads per block; each looks at the window through its own Width/Heads-dimensional lens.</param>
/// <param name="Width">The size of the vector that stands for each token inside the model (n_embd in GPT-2).</param>
/// <param name="Dropout">Probability of zeroing activations during training; 0 for small data and short runs, as here.</param>
/// <param name="Bias">Whether linear layers and LayerNorms carry a bias, as in GPT-2.</param>
/// <param name="Positions">How the model knows where a token is: a learned table added to the input (GPT-2),
/// or rotary embeddings that turn each head's queries and keys by an angle proportional to the position.</param>
/// <param name="Norm">LayerNorm (GPT-2: centre, scale, learned gain) or RMSNorm (scale only, no learned numbers).</param>
/// <param name="QkNorm">RMS-normalise every head's queries and keys before attention, so no score can grow without bound.</param>
/// <param name="Activation">The MLP's non-linearity: GELU (GPT-2) or ReLU² (max(0, x)²).</param>
/// <param name="TiedHead">The output head reuses the token embedding (GPT-2), or is a matrix of its own.</param>
/// <remarks>
/// Every option after <c>Bias</c> defaults to GPT-2's choice, so a checkpoint header written before they
/// existed (it lacks them) reads back as the architecture it was trained with.
/// </remarks>
public sealed record GptConfig(
    int VocabSize,
    int ContextLength = 128,
    int Layers = 4,
    int Heads = 4,
    int Width = 128,
    double Dropout = 0.0,
    bool Bias = true,
    PositionEncoding Positions = PositionEncoding.Learned,
    Normalization Norm = Normalization.LayerNorm,
    bool QkNorm = false,
    Activation Activation = Activation.Gelu,
    bool TiedHead = true)
{
    /// <summary>Dimensions per attention head.</summary>
    public int HeadSize => Width / Heads;

    /// <summary>
    /// The live config of notebook 02: ~0.9M parameters with a 512-token vocabulary
    /// (4 layers, 4 heads, 128 wide, context 128) — trains visibly in about a minute on 2 cores.
    /// </summary>
    public static GptConfig Live(int vocabSize) => new(vocabSize, ContextLength: 128, Layers: 4, Heads: 4, Width: 128);

    /// <summary>
    /// GPT-2's recipe at the shipped size: learned position table, LayerNorm, GELU, tied head — the course's base
    /// model until the recipe below measured better (`llmcourse bench recipe` starts from it).
    /// </summary>
    public static GptConfig Gpt2(int vocabSize) => new(vocabSize, ContextLength: 256, Layers: 6, Heads: 5, Width: 160);

    /// <summary>
    /// The shipped base model (data/models/base.ckpt): 6 layers, 5 heads, 160 wide, context 256 — about 2.5M
    /// parameters with the course's 4096-token vocabulary, ~5 MB as float16 — with the parts of nanochat's and
    /// modded-nanogpt's recipe that learned more per CPU-minute here (`llmcourse bench recipe`): rotary positions,
    /// RMSNorm, QK-norm and ReLU². The head stays tied to the token embedding and the optimizer stays AdamW: an
    /// untied head and Muon measured worse or no better at this size and budget.
    /// </summary>
    public static GptConfig Shipped(int vocabSize) => Gpt2(vocabSize) with
    {
        Positions = PositionEncoding.Rotary,
        Norm = Normalization.RmsNorm,
        QkNorm = true,
        Activation = Activation.ReluSquared,
    };

    /// <summary>Throws a clear error when the shape cannot be built.</summary>
    public GptConfig Validate()
    {
        if (VocabSize < 2) throw new ArgumentOutOfRangeException(nameof(VocabSize), VocabSize, "The vocabulary needs at least 2 tokens.");
        if (ContextLength < 1) throw new ArgumentOutOfRangeException(nameof(ContextLength), ContextLength, "The context must hold at least 1 token.");
        if (Layers < 1) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "A GPT needs at least 1 layer.");
        if (Heads < 1) throw new ArgumentOutOfRangeException(nameof(Heads), Heads, "A GPT needs at least 1 attention head.");
        if (Width < 1 || Width % Heads != 0)
            throw new ArgumentOutOfRangeException(nameof(Width), Width, $"Width must be a positive multiple of Heads ({Heads}), so every head gets the same share.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (Positions == PositionEncoding.Rotary && HeadSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(Heads), Heads,
                $"Rotary positions turn pairs of numbers, so the head size (Width / Heads = {HeadSize}) must be even.");
        if (!Enum.IsDefined(Positions)) throw new ArgumentOutOfRangeException(nameof(Positions), Positions, "Unknown position encoding.");
        if (!Enum.IsDefined(Norm)) throw new ArgumentOutOfRangeException(nameof(Norm), Norm, "Unknown normalisation.");
        if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown activation.");
        return this;
    }

    public override string ToString() =>
        $"GPT(vocab {VocabSize}, context {ContextLength}, {Layers} layers, {Heads} heads, width {Width}" +
        (Dropout > 0 ? $", dropout {Dropout}" : "") + (Bias ? "" : ", no bias") +
        (Positions == PositionEncoding.Learned ? "" : ", rotary") + (Norm == Normalization.LayerNorm ? "" : ", RMSNorm") +
        (QkNorm ? ", QK-norm" : "") + (Activation == Activation.Gelu ? "" : ", ReLU²") + (TiedHead ? "" : ", untied head") + ")";
}

/// <summary>How a GPT knows where each token sits (see <see cref="GptConfig.Positions"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PositionEncoding>))]
public enum PositionEncoding { Learned, Rotary }

/// <summary>The normalisation in front of attention, the MLP and the head (see <see cref="GptConfig.Norm"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Normalization>))]
public enum Normalization { LayerNorm, RmsNorm }

/// <summary>The MLP's non-linearity (see <see cref="GptConfig.Activation"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Activation>))]
public enum Activation { Gelu, ReluSquared }
