using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmCourse.Training;

/// <summary>
/// Muon (Keller Jordan, 2024; "MomentUm Orthogonalized by Newton–Schulz"), the optimizer of
/// modded-nanogpt's speed records and of nanochat, for the 2-D weight matrices inside the blocks.
/// Each step it keeps a momentum of the gradient, as SGD does, but before applying it replaces the
/// momentum matrix G = U·S·Vᵀ by (nearly) U·Vᵀ: the same directions with every singular value set to 1.
/// </summary>
/// <remarks>
/// Why: a weight matrix's gradient is dominated by a few directions (a handful of large singular
/// values); a plain step mostly pushes those and barely moves the rest. Orthogonalising gives every
/// direction the same step size, so rare directions, such as the ones an induction head needs, learn
/// as fast as common ones. Adam does something similar entry by entry; Muon does it for the matrix
/// as a whole, and needs only one momentum buffer (Adam keeps two).
/// U·Vᵀ from an SVD is slow; five steps of a quintic Newton–Schulz iteration get close enough with
/// matrix products alone. Embeddings, the head and 1-D parameters (biases, gains) stay with AdamW:
/// a lookup table's rows are not a linear map whose directions should be balanced.
/// Fused query/key/value weights (c_attn, 3·Width x Width) are orthogonalised as three separate
/// Width x Width matrices, as if q, k and v had their own layers (as in nanochat and modded-nanogpt).
/// </remarks>
public sealed class Muon : IDisposable
{
    /// <summary>
    /// The quintic's coefficients (a, b, c) in X ← a·X + b·(XXᵀ)X + c·(XXᵀ)²X, chosen by Keller Jordan to
    /// push every singular value in (0, 1] up fast rather than to converge exactly: after five steps
    /// they land in about [0.7, 1.2] instead of at 1, which trains just as well.
    /// </summary>
    public static readonly (double A, double B, double C) Quintic = (3.4445, -4.7750, 2.0315);

    /// <summary>Newton–Schulz steps per update (modded-nanogpt's 5).</summary>
    public const int Steps = 5;

    readonly (Parameter Weight, int Pieces)[] parameters;
    readonly Tensor[] momentum;   // one buffer per parameter, the size of the parameter

    /// <param name="parameters">Each 2-D weight, and in how many equal row blocks to orthogonalise it (1, or 3 for c_attn).</param>
    /// <param name="learningRate">Step size in units of the orthogonalised update (its entries have RMS ~1/sqrt(columns)).</param>
    /// <param name="momentum">How much of the past gradients the momentum keeps (0.95 as modded-nanogpt).</param>
    public Muon(IEnumerable<(Parameter Weight, int Pieces)> parameters, double learningRate = 0.02, double momentum = 0.95)
    {
        this.parameters = parameters.ToArray();
        foreach (var (w, pieces) in this.parameters)
            if (w.dim() != 2 || pieces < 1 || w.shape[0] % pieces != 0)
                throw new ArgumentException(
                    $"Muon updates 2-D weights split into equal row blocks; got shape [{string.Join(", ", w.shape)}] in {pieces}.");
        LearningRate = learningRate;
        Momentum = momentum;
        this.momentum = this.parameters.Select(p => zeros_like(p.Weight).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The step size, set each step from the schedule.</summary>
    public double LearningRate { get; set; }
    public double Momentum { get; }

    /// <summary>The parameters this optimizer updates (the trainer gives every other one to AdamW).</summary>
    public IEnumerable<Parameter> Parameters => parameters.Select(p => p.Weight);

    /// <summary>
    /// Orthogonalises G (or a batch of matrices [..., rows, columns]): about U·Vᵀ of its SVD, in five
    /// quintic Newton–Schulz steps.
    /// </summary>
    public static Tensor Orthogonalize(Tensor g, int steps = Steps)
    {
        var (a, b, c) = Quintic;
        // The iteration works on XXᵀ, so make X wide (rows <= columns): XXᵀ is then the smaller square.
        var tall = g.shape[^2] > g.shape[^1];
        var x = tall ? g.transpose(-2, -1) : g;
        // Scale so every singular value is <= 1 (the Frobenius norm bounds the largest): the iteration
        // only converges from inside that range.
        x = x / (x.square().sum([-2L, -1L], keepdim: true).sqrt() + 1e-7);
        for (var i = 0; i < steps; i++)
        {
            var xxt = x.matmul(x.transpose(-2, -1));
            // Each singular value s becomes a·s + b·s³ + c·s⁵; the singular vectors stay as they are.
            x = a * x + (b * xxt + c * xxt.matmul(xxt)).matmul(x);
        }
        return tall ? x.transpose(-2, -1) : x;
    }

    /// <summary>One update of every parameter from its gradient (parameters without one are skipped).</summary>
    public void Step()
    {
        using var _ = no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            var (w, pieces) = parameters[i];
            if (w.grad is not { } grad) continue;

            // Momentum as an average of gradients, then Nesterov: look ahead along it.
            momentum[i].lerp_(grad, 1 - Momentum);
            var update = grad.lerp(momentum[i], Momentum);

            var (rows, columns) = (w.shape[0] / pieces, w.shape[1]);
            update = Orthogonalize(update.view(pieces, rows, columns)).view(w.shape);
            // An orthogonal update's entries have RMS 1/sqrt(max(rows, columns)); scaling tall matrices
            // by sqrt(rows / columns) gives every matrix the same per-entry step size (modded-nanogpt).
            var scale = Math.Sqrt(Math.Max(1.0, (double)rows / columns));
            w.add_(update, alpha: -LearningRate * scale);
        }
    }

    /// <summary>Clears the gradients of Muon's parameters before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var (w, _) in parameters) w.grad?.zero_();
    }

    /// <summary>Writes the momentum buffers, so a resumed run continues exactly.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(momentum.Length);
        foreach (var m in momentum)
        {
            var values = m.contiguous().data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var v in values) writer.Write(v);
        }
    }

    /// <summary>Reads buffers written by <see cref="Save"/> for the same parameters.</summary>
    public void Load(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count != momentum.Length)
            throw new InvalidDataException($"The saved Muon state has {count} momentum buffers; this optimizer has {momentum.Length}.");
        using var _ = no_grad();
        foreach (var m in momentum)
        {
            var length = reader.ReadInt32();
            if (length != m.numel())
                throw new InvalidDataException($"A saved Muon buffer has {length} values; the parameter has {m.numel()}.");
            var values = new float[length];
            for (var j = 0; j < length; j++) values[j] = reader.ReadSingle();
            using var source = tensor(values, m.shape);
            m.copy_(source);
        }
    }

    public void Dispose()
    {
        foreach (var m in momentum) m.Dispose();
    }
}
