using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>The directory's "meta" object (RFC 8555 §7.1.1).</summary>
public sealed record AcmeDirectoryMeta
{
    [JsonPropertyName("termsOfService")]
    public Uri? TermsOfService { get; init; }

    [JsonPropertyName("website")]
    public Uri? Website { get; init; }

    [JsonPropertyName("externalAccountRequired")]
    public bool ExternalAccountRequired { get; init; }
}
