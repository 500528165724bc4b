using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// RMSNorm: divide each vector by its root-mean-square, x / sqrt(mean(x²) + eps). LayerNorm also
/// subtracts the mean and multiplies by a learned gain (and adds a bias); RMSNorm keeps only the
/// rescaling, which is what stabilises training, at fewer operations.
/// </summary>
/// <remarks>
/// No learned gain, as in nanochat: the next linear layer can scale any direction it likes, so a gain
/// in front of it adds parameters (and a weight-decay question) without adding what the model can
/// express. It also means this module has no parameters at all.
/// </remarks>
public sealed class RmsNorm : Module<Tensor, Tensor>
{
    /// <summary>Keeps the division finite for an all-zero vector.</summary>
    public const double Epsilon = 1e-6;

    public RmsNorm() : base(nameof(RmsNorm)) { }

    /// <summary>Normalises the last dimension of <paramref name="x"/>.</summary>
    public override Tensor forward(Tensor x) => Normalize(x);

    public static Tensor Normalize(Tensor x) => x * (x.pow(2).mean([-1L], keepdim: true) + Epsilon).rsqrt();
}
