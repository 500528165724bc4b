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
public sealed record GptConfig(
    int VocabSize,
    int ContextLength = 128,
    int Layers = 4,
    int Heads = 4,
    int Width = 128,
    double Dropout = 0.0,
    bool Bias = true)
{
    /// <summary>Dimensions per attention head.</summary>
    public int HeadSize => Width / Heads;

    /// <summary>
    /// The live config of notebook 02: ~0.9M parameters with a 512-token vocabulary
    /// (4 layers, 4 heads, 128 wide, context 128) — trains visibly in about a minute on 2 cores.
    /// </summary>
    public static GptConfig Live(int vocabSize) => new(vocabSize, ContextLength: 128, Layers: 4, Heads: 4, Width: 128);

    /// <summary>
    /// The shipped base model (data/models/base.ckpt): 6 layers, 5 heads, 160 wide, context 256 — about
    /// 2.6M parameters with the course's 4096-token vocabulary, ~5 MB as float16. Sized so that
    /// `llmcourse train base` fits 20 minutes on 2 cores while passing over the toy corpus (~0.5M tokens)
    /// a dozen times: enough to memorise facts it saw often, not the ones it saw once.
    /// </summary>
    public static GptConfig Shipped(int vocabSize) => new(vocabSize, ContextLength: 256, Layers: 6, Heads: 5, Width: 160);

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
        return this;
    }

    public override string ToString() =>
        $"GPT(vocab {VocabSize}, context {ContextLength}, {Layers} layers, {Heads} heads, width {Width}" +
        (Dropout > 0 ? $", dropout {Dropout}" : "") + (Bias ? "" : ", no bias") + ")";
}
