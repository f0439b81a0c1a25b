using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>SHA-256 fingerprints, the way `openssl x509 -fingerprint -sha256` identifies a certificate.</summary>
public static class Thumbprints
{
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The SHA-256 fingerprint as people compare it, on phones and in openssl: AB:CD:….</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Sha256(certificate).Chunk(2).Select(pair => new string(pair)));
}
