using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Tls;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace SecureCam.Telemetry;

/// <summary>A certificate chain and its private key: a collector's server identity or a camera's device identity.</summary>
public sealed class DtlsIdentity
{
    private DtlsIdentity(X509Certificate2Collection chain, AsymmetricKeyParameter privateKey)
    {
        Chain = chain;
        PrivateKey = privateKey;
        TlsCertificate = CertificateFiles.ToTlsCertificate(chain);
    }

    public X509Certificate2Collection Chain { get; }

    public X509Certificate2 Leaf => Chain[0];

    public AsymmetricKeyParameter PrivateKey { get; }

    public TlsCertificate TlsCertificate { get; }

    /// <summary>
    /// The signature algorithm we sign handshakes with. It must be given explicitly: without it BouncyCastle 1.8.10
    /// fails a DTLS 1.2 client-certificate handshake with internal_error.
    /// </summary>
    public SignatureAndHashAlgorithm SignatureAlgorithm =>
        ((ECPrivateKeyParameters)PrivateKey).Parameters.Curve.FieldSize > 256
            ? new SignatureAndHashAlgorithm(HashAlgorithm.sha384, Org.BouncyCastle.Crypto.Tls.SignatureAlgorithm.ecdsa)
            : new SignatureAndHashAlgorithm(HashAlgorithm.sha256, Org.BouncyCastle.Crypto.Tls.SignatureAlgorithm.ecdsa);

    /// <summary>Loads a PEM certificate (or chain, leaf first) and its PEM private key.</summary>
    public static DtlsIdentity Load(string certificatePath, string keyPath)
    {
        var chain = CertificateFiles.LoadCertificates(certificatePath);
        var key = CertificateFiles.LoadPrivateKey(keyPath);
        var leafKey = Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(chain[0].PublicKey.ExportSubjectPublicKeyInfo());
        if (leafKey is not ECPublicKeyParameters leafEc || !leafEc.Q.Equals(((ECPrivateKeyParameters)key).Parameters.G.Multiply(((ECPrivateKeyParameters)key).D).Normalize()))
        {
            throw new TelemetryConfigurationException($"{keyPath}: the key does not belong to the certificate in {certificatePath}");
        }

        return new DtlsIdentity(chain, key);
    }
}
