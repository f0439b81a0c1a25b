using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>Builds the CA's certificate revocation list with .NET's CertificateRevocationListBuilder.</summary>
internal static class CrlWriter
{
    /// <summary>
    /// How long a CRL stays current. SecureCam's server reads crl.pem from disk rather than fetching it, so
    /// a long life costs nothing in freshness (every revoke rewrites it at once) and spares a box whose CA
    /// key is passphrase-protected from needing the passphrase every few days. Run `crl` yearly.
    /// </summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    public static byte[] Build(X509Certificate2 caWithKey, IEnumerable<RevokedCertificate> revoked, long number, HashAlgorithmName hash)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            builder.AddEntry(Convert.FromHexString(PadToBytes(entry.Serial)), entry.RevokedAt, entry.Reason);
        }

        var now = DateTimeOffset.UtcNow;
        var padding = caWithKey.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? RSASignaturePadding.Pkcs1 : null;
        return builder.Build(caWithKey, new BigInteger(number), now + Validity, hash, padding, now);
    }

    /// <summary>Whole bytes, and a leading zero byte when the top bit is set: a serial is a positive INTEGER.</summary>
    private static string PadToBytes(string hex)
    {
        var padded = hex.Length % 2 == 0 ? hex : "0" + hex;
        return padded[0] >= '8' ? "00" + padded : padded;
    }
}
