using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// The feed-forward half of a block: each token alone is widened 4x, passed through GELU, and
/// projected back. Attention moves information between tokens; this is where the model "thinks"
/// about what it gathered, and where most of its parameters (and stored facts) live.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    readonly Linear c_fc;
    readonly Linear c_proj;
    readonly double dropout;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = Linear(config.Width, 4 * config.Width, hasBias: config.Bias);
        c_proj = Linear(4 * config.Width, config.Width, hasBias: config.Bias);
        dropout = config.Dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // GELU: a smooth ReLU, exact (erf) form as in GPT-2's released weights and the PyTorch reference.
        var y = c_proj.forward(functional.gelu(c_fc.forward(x)));
        return dropout > 0 && training ? functional.dropout(y, dropout, training) : y;
    }
}
