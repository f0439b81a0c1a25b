using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Acme;

/// <summary>The CSR sent to finalize an order: a NEW key for every certificate, all names in the SAN.</summary>
internal static class CertificateSigningRequest
{
    // CN is limited to 64 characters (RFC 5280 ub-common-name); CAs take the names from the SAN anyway.
    private const int MaxCommonName = 64;

    /// <summary>Makes a fresh ECDSA P-256 key (the caller owns it) and the DER CSR for <paramref name="identifiers"/>.</summary>
    public static byte[] Create(IReadOnlyList<AcmeIdentifier> identifiers, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var first = identifiers[0].Value;
        var subject = first.Length <= MaxCommonName
            ? new X500DistinguishedName("CN=" + first)
            : new X500DistinguishedName("");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var identifier in identifiers)
        {
            if (identifier.Type == "ip")
            {
                san.AddIpAddress(IPAddress.Parse(identifier.Value));
            }
            else
            {
                san.AddDnsName(identifier.Value);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequest();
    }
}
