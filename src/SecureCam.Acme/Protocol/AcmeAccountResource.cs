using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>The account object as the server returns it.</summary>
public sealed record AcmeAccountResource
{
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("contact")]
    public IReadOnlyList<string>? Contact { get; init; }

    [JsonPropertyName("termsOfServiceAgreed")]
    public bool? TermsOfServiceAgreed { get; init; }

    [JsonPropertyName("orders")]
    public Uri? Orders { get; init; }
}
