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

    /// <summary>
    /// The certificate profiles the CA offers (draft-ietf-acme-profiles), name → description; null when
    /// it offers none. Let's Encrypt: "classic", "tlsserver", "shortlived" (six days, IP addresses allowed).
    /// </summary>
    [JsonPropertyName("profiles")]
    public IReadOnlyDictionary<string, string>? Profiles { get; init; }
}
