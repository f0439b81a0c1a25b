using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>An authorization (RFC 8555 §7.1.4). <see cref="Location"/> is its URL.</summary>
public sealed record AcmeAuthorization
{
    [JsonIgnore]
    public Uri Location { get; init; } = null!;

    [JsonPropertyName("identifier")]
    public AcmeIdentifier Identifier { get; init; } = null!;

    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; init; }

    [JsonPropertyName("challenges")]
    public IReadOnlyList<AcmeChallenge> Challenges { get; init; } = [];

    [JsonPropertyName("wildcard")]
    public bool Wildcard { get; init; }
}
