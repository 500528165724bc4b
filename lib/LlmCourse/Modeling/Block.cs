using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LlmCourse.Modeling;

/// <summary>
/// One transformer block: attention, then the MLP, each reading a LayerNorm-ed copy of the residual
/// stream and adding its result back onto it ("pre-LayerNorm", as in GPT-2; or RMSNorm). The additions let the
/// gradient flow straight from the loss to the first layer, which is what makes deep stacks trainable.
/// </summary>
public sealed class Block : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> ln_1;
    readonly CausalSelfAttention attn;
    readonly Module<Tensor, Tensor> ln_2;
    readonly Mlp mlp;

    /// <param name="rotary">The model's rotary tables (null for a learned position table).</param>
    public Block(GptConfig config, RotaryEmbedding? rotary = null) : base(nameof(Block))
    {
        ln_1 = Norm(config);
        attn = new CausalSelfAttention(config, rotary);
        ln_2 = Norm(config);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    /// <summary>The config's normalisation over a vector of <c>Width</c>: LayerNorm or RMSNorm.</summary>
    internal static Module<Tensor, Tensor> Norm(GptConfig config) =>
        config.Norm == Normalization.RmsNorm ? new RmsNorm() : LayerNorm(config.Width, bias: config.Bias);

    public CausalSelfAttention Attention => attn;
    /// <summary>The norm (LayerNorm or RMSNorm) in front of attention, and the one in front of the MLP.</summary>
    public Module<Tensor, Tensor> AttentionNorm => ln_1;
    public Module<Tensor, Tensor> MlpNorm => ln_2;
    public Mlp Mlp => mlp;

    /// <summary>x [batch, T, width] at positions 0..T-1.</summary>
    public override Tensor forward(Tensor x)
    {
        using var positions = arange(x.shape[1], dtype: ScalarType.Int64);
        return Forward(x, positions, cache: null, layer: 0, weights: null);
    }

    /// <summary>x [batch, T, width] at <paramref name="positions"/> ([T] int64; rotary attention needs them).</summary>
    public Tensor Forward(Tensor x, Tensor positions, KvCache? cache, int layer, List<Tensor>? weights)
    {
        x = x + attn.Forward(ln_1.forward(x), positions, cache, layer, weights);
        return x + mlp.forward(ln_2.forward(x));
    }

    /// <summary>The same block for a batch of sequences generating with a preallocated cache.</summary>
    internal Tensor Forward(Tensor x, Tensor positions, BatchKvCache cache, int layer, Tensor? mask)
    {
        x = x + attn.Forward(ln_1.forward(x), positions, cache, layer, mask);
        return x + mlp.forward(ln_2.forward(x));
    }
}
