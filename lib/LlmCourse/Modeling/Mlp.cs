using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// The feed-forward half of a block: each token alone is widened 4x, passed through GELU (or ReLU²), and
/// projected back. Attention moves information between tokens; this is where the model "thinks"
/// about what it gathered, and where most of its parameters (and stored facts) live.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    readonly Linear c_fc;
    readonly Linear c_proj;
    readonly double dropout;
    readonly Activation activation;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = Linear(config.Width, 4 * config.Width, hasBias: config.Bias);
        c_proj = Linear(4 * config.Width, config.Width, hasBias: config.Bias);
        dropout = config.Dropout;
        activation = config.Activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = c_proj.forward(Activate(c_fc.forward(x), activation));
        return dropout > 0 && training ? functional.dropout(y, dropout, training) : y;
    }

    /// <summary>The non-linearity on the widened vector.</summary>
    public static Tensor Activate(Tensor x, Activation activation) => activation switch
    {
        // GELU: a smooth ReLU, exact (erf) form as in GPT-2's released weights and the PyTorch reference.
        Activation.Gelu => functional.gelu(x),
        // ReLU²: max(0, x)². As cheap as ReLU, zero for half the inputs (sparse), and its square makes the
        // active units' outputs grow faster; modded-nanogpt found it trains faster than GELU (Primer, So et al. 2021).
        Activation.ReluSquared => functional.relu(x).square(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
