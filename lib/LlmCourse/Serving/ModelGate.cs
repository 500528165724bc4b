using System.Runtime.CompilerServices;
using LlmCourse.Modeling;

namespace LlmCourse.Serving;

/// <summary>
/// One reply at a time per model. Concurrent forward passes through one TorchSharp module are not the problem: each
/// reply has its own KV cache, inference only reads the weights, and grad mode and dispose scopes are per thread —
/// tried here, 8 sampled replies generated 4 at a time on one model matched the same replies generated one by one,
/// 40 times out of 40. But the module's <c>eval()</c>/<c>train()</c> flag is shared (a notebook may train the model it
/// serves), and on a 2-core machine two passes at once only fight over the same cores: libtorch's OpenMP threads spin
/// while they wait, so both replies get slower (DESIGN.md measured 50x on small operations). Taking turns costs
/// nothing in total throughput here and keeps every reply independent of the others.
/// </summary>
/// <remarks>Keyed by the <see cref="Gpt"/> itself, so every client and server wrapping the same model shares one gate.</remarks>
static class ModelGate
{
    static readonly ConditionalWeakTable<Gpt, SemaphoreSlim> gates = new();

    public static SemaphoreSlim For(Gpt model) => gates.GetValue(model, _ => new SemaphoreSlim(1, 1));
}
