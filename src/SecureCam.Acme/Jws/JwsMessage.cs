using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>A JWS in the flattened JSON serialization, the only one ACME accepts (RFC 8555 §6.2).</summary>
internal sealed record JwsMessage(
    [property: JsonPropertyName("protected")] string Protected,
    [property: JsonPropertyName("payload")] string Payload,
    [property: JsonPropertyName("signature")] string Signature);
