using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Pki;

/// <summary>How index.json is (de)serialised: camelCase names, enums as words, indented for people.</summary>
internal static class IndexJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
