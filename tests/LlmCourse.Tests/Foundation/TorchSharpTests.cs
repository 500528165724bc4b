using TorchSharp;
using static TorchSharp.torch;

namespace LlmCourse.Tests.Foundation;

/// <summary>TorchSharp's native bridge loads from a plain build and computes correctly.</summary>
public class TorchSharpTests
{
    [Fact]
    public void MatrixProductRuns()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void BackwardPassComputesGradients()
    {
        using var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        using var y = (x * x).sum();   // dy/dx = 2x
        y.backward();
        Assert.Equal(new float[] { 2, 4, 6 }, x.grad!.data<float>().ToArray());
    }
}
