using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;
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

/// <summary>ARI's suggestedWindow: renew at a random moment between <see cref="Start"/> and <see cref="End"/>.</summary>
public sealed record RenewalWindow(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("end")] DateTimeOffset End);

/// <summary>
/// The ARI certificate identifier (RFC 9773 §4.1): base64url(the Authority Key Identifier's keyIdentifier)
/// "." base64url(the serial number's DER INTEGER content bytes). Also the value of "replaces" in newOrder.
/// </summary>
public static class AriCertificateId
{
    public static string For(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()
            ?? throw new AcmeException($"certificate {certificate.SerialNumber} has no Authority Key Identifier, so it has no ARI id");
        var keyId = aki.KeyIdentifier ?? throw new AcmeException($"certificate {certificate.SerialNumber} has an Authority Key Identifier without a keyIdentifier");

        // SerialNumberBytes is big-endian and exactly the INTEGER's content octets (leading 0x00 kept when
        // the high bit is set), which is what RFC 9773 asks for.
        return Base64Url.EncodeToString(keyId.Span) + "." + Base64Url.EncodeToString(certificate.SerialNumberBytes.Span);
    }
}
