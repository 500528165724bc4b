using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace LlmCourse.Tests.Visuals;

/// <summary>Compares JSON as trees: key order and number spelling (2 vs 2.0) do not matter, everything else does.</summary>
internal static class JsonTree
{
    public static void AssertEqual(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                var keys = e.Select(p => p.Key).Union(a.Select(p => p.Key)).Order();
                foreach (var key in keys)
                {
                    if (!e.ContainsKey(key)) throw new XunitException($"{path}.{key}: unexpected, {Show(a[key])}");
                    if (!a.ContainsKey(key)) throw new XunitException($"{path}.{key}: missing, expected {Show(e[key])}");
                    AssertEqual(e[key], a[key], $"{path}.{key}");
                }
                return;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count) throw new XunitException($"{path}: {a.Count} items, expected {e.Count}");
                for (var i = 0; i < e.Count; i++) AssertEqual(e[i], a[i], $"{path}[{i}]");
                return;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number:
                if (e.GetValue<double>() != a.GetValue<double>()) throw new XunitException($"{path}: {Show(a)}, expected {Show(e)}");
                return;
            default:
                if (!JsonNode.DeepEquals(expected, actual)) throw new XunitException($"{path}: {Show(actual)}, expected {Show(expected)}");
                return;
        }
    }

    static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
