namespace LlmCourse;
public static class Placeholder { public static string Go() { using var t = TorchSharp.torch.ones(3); return (t*2).sum().item<float>().ToString(); } }
