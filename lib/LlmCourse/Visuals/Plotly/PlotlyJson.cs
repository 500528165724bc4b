using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCourse.Visuals.Plotly;

/// <summary>How the model becomes plotly.js JSON.</summary>
internal static class PlotlyJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        // plotly's attribute names are the C# names in lower case: NBinsX -> nbinsx, HoverTemplate -> hovertemplate.
        PropertyNamingPolicy = new LowerCase(),
        // An unset attribute is left out, so plotly applies its own default.
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new FiniteDouble(), new FiniteSingle() },
    };

    sealed class LowerCase : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }

    // A diverged loss is NaN. JSON has no NaN; plotly reads null as "no value here" and leaves a gap.
    sealed class FiniteDouble : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) => reader.GetDouble();
        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }

    sealed class FiniteSingle : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) => reader.GetSingle();
        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }
}
