using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>The one JSON setting for every ACME body: camelCase names, nulls left out (RFC 8555 §7).</summary>
internal static class AcmeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
