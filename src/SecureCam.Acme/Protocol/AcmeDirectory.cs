using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>The ACME directory (RFC 8555 §7.1.1): the URLs of every resource, plus meta.</summary>
public sealed record AcmeDirectory
{
    [JsonPropertyName("newNonce")]
    public required Uri NewNonce { get; init; }

    [JsonPropertyName("newAccount")]
    public required Uri NewAccount { get; init; }

    [JsonPropertyName("newOrder")]
    public required Uri NewOrder { get; init; }

    [JsonPropertyName("revokeCert")]
    public Uri? RevokeCert { get; init; }

    [JsonPropertyName("keyChange")]
    public Uri? KeyChange { get; init; }

    /// <summary>ACME Renewal Information (RFC 9773); null when the server does not offer it.</summary>
    [JsonPropertyName("renewalInfo")]
    public Uri? RenewalInfo { get; init; }

    [JsonPropertyName("meta")]
    public AcmeDirectoryMeta? Meta { get; init; }
}
