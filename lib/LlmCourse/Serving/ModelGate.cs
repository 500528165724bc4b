using System.Runtime.CompilerServices;
using LlmCourse.Modeling;

namespace LlmCourse.Serving;

/// <summary>
/// One reply at a time per model. Concurrent forward passes through one TorchSharp module do run (libtorch
/// inference is read-only on the weights, and autograd and dispose scopes are per thread), but they share
/// mutable module state — <c>eval()</c>/<c>train()</c> — and on a 2-core machine two passes at once only fight
/// over the same cores: libtorch's OpenMP threads spin while they wait, so both replies get much slower
/// (DESIGN.md measured 50x on small operations). Taking turns is as fast in total, keeps each request's tokens
/// its own, and makes each reply depend only on its own request.
/// </summary>
/// <remarks>Keyed by the <see cref="Gpt"/> itself, so every client and server wrapping the same model shares one gate.</remarks>
static class ModelGate
{
    static readonly ConditionalWeakTable<Gpt, SemaphoreSlim> gates = new();

    public static SemaphoreSlim For(Gpt model) => gates.GetValue(model, _ => new SemaphoreSlim(1, 1));
}
