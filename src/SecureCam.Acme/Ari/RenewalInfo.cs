using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>A renewalInfo response (RFC 9773 §4.2): when the CA wants the certificate renewed.</summary>
public sealed record RenewalInfo
{
    [JsonPropertyName("suggestedWindow")]
    public RenewalWindow? SuggestedWindow { get; init; }

    [JsonPropertyName("explanationURL")]
    public Uri? ExplanationUrl { get; init; }

    /// <summary>When to ask again (the response's Retry-After).</summary>
    [JsonIgnore]
    public TimeSpan? RetryAfter { get; init; }
}
