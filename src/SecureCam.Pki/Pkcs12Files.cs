using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>PKCS#12 files for phones and browsers: the identity (key and certificate) plus the CA certificate.</summary>
public static class Pkcs12Files
{
    /// <summary>Exports key, certificate and CA in the given format (see <see cref="Pkcs12Format"/> for why 3DES is the default).</summary>
    public static byte[] Export(X509Certificate2 certificateWithKey, X509Certificate2 ca, Pkcs12Format format, string password)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        ArgumentNullException.ThrowIfNull(ca);
        using var publicCa = X509CertificateLoader.LoadCertificate(ca.RawData);
        var collection = new X509Certificate2Collection { certificateWithKey, publicCa };
        var parameters = format switch
        {
            Pkcs12Format.Legacy => Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1,
            Pkcs12Format.Modern => Pkcs12ExportPbeParameters.Pbes2Aes256Sha256,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        return collection.ExportPkcs12(parameters, password);
    }

    /// <summary>True when <paramref name="pkcs12"/> opens with <paramref name="password"/>.</summary>
    public static bool PasswordOpens(byte[] pkcs12, string password)
    {
        try
        {
            using var _ = X509CertificateLoader.LoadPkcs12(pkcs12, password, X509KeyStorageFlags.EphemeralKeySet);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
