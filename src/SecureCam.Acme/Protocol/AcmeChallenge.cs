using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>A challenge inside an authorization (RFC 8555 §7.1.5, §8).</summary>
public sealed record AcmeChallenge
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("url")]
    public Uri Url { get; init; } = null!;

    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("validated")]
    public DateTimeOffset? Validated { get; init; }

    [JsonPropertyName("error")]
    public AcmeProblem? Error { get; init; }
}
