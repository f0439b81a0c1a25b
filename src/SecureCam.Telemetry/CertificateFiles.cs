using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using TlsCertificate = Org.BouncyCastle.Tls.Certificate;

namespace SecureCam.Telemetry;

/// <summary>Reads PEM certificates and keys (as written by securecam-pki or openssl) into both .NET and BouncyCastle types.</summary>
public static class CertificateFiles
{
    /// <summary>All certificates in a PEM file, in file order (leaf first for a chain file).</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new TelemetryConfigurationException($"{path}: not a PEM certificate file ({e.Message})");
        }

        if (collection.Count == 0)
        {
            throw new TelemetryConfigurationException($"{path}: no certificate in the file");
        }

        return collection;
    }

    /// <summary>
    /// An ECDSA private key from a PEM file ("PRIVATE KEY" or "EC PRIVATE KEY"), converted for BouncyCastle.
    /// Only named P-256 and P-384 keys are accepted, the same rule we apply to peers.
    /// </summary>
    public static AsymmetricKeyParameter LoadPrivateKey(string path)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new TelemetryConfigurationException($"{path}: not an unencrypted PEM ECDSA private key ({e.Message})");
        }

        var curve = ecdsa.ExportParameters(false).Curve;
        if (!PeerCertificateCheck.IsAcceptedCurve(curve))
        {
            throw new TelemetryConfigurationException($"{path}: the key must be on the named curve P-256 or P-384");
        }

        return PrivateKeyFactory.CreateKey(ecdsa.ExportPkcs8PrivateKey());
    }

    /// <summary>A .NET certificate list as the chain BouncyCastle sends in its Certificate message.</summary>
    public static TlsCertificate ToTlsCertificate(X509Certificate2Collection chain, TlsCrypto crypto)
    {
        var list = new Org.BouncyCastle.Tls.Crypto.TlsCertificate[chain.Count];
        for (var i = 0; i < chain.Count; i++)
        {
            list[i] = crypto.CreateCertificate(chain[i].RawData);
        }

        return new TlsCertificate(list);
    }

    /// <summary>The certificates a peer showed, as .NET certificates (leaf first).</summary>
    public static X509Certificate2[] FromTlsCertificate(TlsCertificate certificate)
    {
        var result = new X509Certificate2[certificate.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = X509CertificateLoader.LoadCertificate(certificate.GetCertificateAt(i).GetEncoded());
        }

        return result;
    }
}
