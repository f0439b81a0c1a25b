using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureCam.Acme;

/// <summary>The self-signed certificate that answers a tls-alpn-01 challenge (RFC 8737 §3).</summary>
public static class TlsAlpnChallengeCertificate
{
    /// <summary>id-pe-acmeIdentifier.</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    /// <summary>
    /// A certificate whose only SAN is the identifier and which carries the critical acmeIdentifier
    /// extension: an OCTET STRING holding SHA-256 of the key authorization. Fresh P-256 key each time.
    /// </summary>
    public static X509Certificate2 Create(AcmeIdentifier identifier, string keyAuthorization, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(keyAuthorization);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=ACME tls-alpn-01 challenge"), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (identifier.Type == "ip")
        {
            san.AddIpAddress(IPAddress.Parse(identifier.Value));
        }
        else
        {
            san.AddDnsName(identifier.Value);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));

        // DER: OCTET STRING (tag 0x04), length 32, then the digest.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization));
        request.CertificateExtensions.Add(new X509Extension(AcmeIdentifierOid, [0x04, 0x20, .. digest], critical: true));

        var now = (time ?? TimeProvider.System).GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
    }

    /// <summary>
    /// The TLS server name (SNI) the validator sends for an identifier: the DNS name itself, or for an IP
    /// address its reverse-DNS name (RFC 8738 §6).
    /// </summary>
    public static string ServerNameFor(AcmeIdentifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Type != "ip")
        {
            return identifier.Value.ToLowerInvariant();
        }

        var address = IPAddress.Parse(identifier.Value);
        var bytes = address.GetAddressBytes();
        if (bytes.Length == 4)
        {
            return string.Join('.', bytes.Reverse().Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ".in-addr.arpa";
        }

        var nibbles = bytes.SelectMany(b => new[] { b >> 4, b & 0xF }).Reverse().Select(n => n.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        return string.Join('.', nibbles) + ".ip6.arpa";
    }
}
