using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>An order (RFC 8555 §7.1.3). <see cref="Location"/> is its URL, from the Location header.</summary>
public sealed record AcmeOrder
{
    [JsonIgnore]
    public Uri Location { get; init; } = null!;

    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; init; }

    [JsonPropertyName("identifiers")]
    public IReadOnlyList<AcmeIdentifier> Identifiers { get; init; } = [];

    [JsonPropertyName("authorizations")]
    public IReadOnlyList<Uri> Authorizations { get; init; } = [];

    [JsonPropertyName("finalize")]
    public Uri Finalize { get; init; } = null!;

    [JsonPropertyName("certificate")]
    public Uri? Certificate { get; init; }

    /// <summary>The profile the CA issues this order under (draft-ietf-acme-profiles), when it has profiles.</summary>
    [JsonPropertyName("profile")]
    public string? Profile { get; init; }

    [JsonPropertyName("replaces")]
    public string? Replaces { get; init; }

    [JsonPropertyName("error")]
    public AcmeProblem? Error { get; init; }
}
