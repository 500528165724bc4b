using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// One transformer block: attention, then the MLP, each reading a LayerNorm-ed copy of the residual
/// stream and adding its result back onto it ("pre-LayerNorm", as in GPT-2). The additions let the
/// gradient flow straight from the loss to the first layer, which is what makes deep stacks trainable.
/// </summary>
public sealed class Block : Module<Tensor, Tensor>
{
    readonly LayerNorm ln_1;
    readonly CausalSelfAttention attn;
    readonly LayerNorm ln_2;
    readonly Mlp mlp;

    public Block(GptConfig config) : base(nameof(Block))
    {
        ln_1 = LayerNorm(config.Width, bias: config.Bias);
        attn = new CausalSelfAttention(config);
        ln_2 = LayerNorm(config.Width, bias: config.Bias);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public CausalSelfAttention Attention => attn;
    /// <summary>The LayerNorm in front of attention, and the one in front of the MLP.</summary>
    public LayerNorm AttentionNorm => ln_1;
    public LayerNorm MlpNorm => ln_2;
    public Mlp Mlp => mlp;

    public override Tensor forward(Tensor x) => Forward(x, cache: null, layer: 0, weights: null);

    public Tensor Forward(Tensor x, KvCache? cache, int layer, List<Tensor>? weights)
    {
        x = x + attn.Forward(ln_1.forward(x), cache, layer, weights);
        return x + mlp.forward(ln_2.forward(x));
    }

    /// <summary>The same block for a batch of sequences generating with a preallocated cache.</summary>
    internal Tensor Forward(Tensor x, BatchKvCache cache, int layer, Tensor? mask)
    {
        x = x + attn.Forward(ln_1.forward(x), cache, layer, mask);
        return x + mlp.forward(ln_2.forward(x));
    }
}
