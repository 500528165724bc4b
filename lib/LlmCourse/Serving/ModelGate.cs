using System.Runtime.CompilerServices;
using System.Threading.Channels;
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

    /// <summary>How many items the worker may write before the reader takes them.</summary>
    const int ReadAhead = 16;

    /// <summary>
    /// A reply's items (tokens, events), generated on a worker thread while the reply holds <paramref name="model"/>'s
    /// gate. <paramref name="start"/> is called at once, before waiting for the gate, so whatever is wrong with the
    /// request shows as an error before any waiting; it gets the token that stops the worker. Cancelling stops the worker
    /// within one item. The worker may run only <see cref="ReadAhead"/> items ahead of the reader, so a reader that stops
    /// reading — a client gone away, an abandoned enumeration — stops the model within as many tokens instead of letting
    /// it write to the end of the reply for nobody; a reader that keeps reading, however slowly over the network, is
    /// never held up (its items are a few bytes each).
    /// </summary>
    public static async IAsyncEnumerable<T> Stream<T>(Gpt model, Func<CancellationToken, IEnumerable<T>> start,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var items = start(stop.Token);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(ReadAhead)
            { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var gate = For(model);
        var worker = Task.Run(async () =>
        {
            try
            {
                await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                // One thread enumerates the whole reply (waiting for the reader blocks it rather than moving the rest of
                // the reply to another thread): TorchSharp's dispose scopes belong to the thread that opened them.
                try
                {
                    foreach (var item in items)
                        if (!channel.Writer.TryWrite(item))
                            channel.Writer.WriteAsync(item, stop.Token).AsTask().GetAwaiter().GetResult();
                }
                finally { gate.Release(); }
            }
            finally { channel.Writer.TryComplete(); }
        }, CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return item;
            await worker.ConfigureAwait(false);   // a failure while generating surfaces here
        }
        finally
        {
            stop.Cancel();
            // Return only once the worker has let go of the model, so the next request finds it free.
            try { await worker.ConfigureAwait(false); }
            catch (Exception) { /* cancelled or already reported above */ }
        }
    }
}
