using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>A certificate chain and its private key: a collector's server identity or a camera's device identity.</summary>
public sealed class DtlsIdentity
{
    private DtlsIdentity(X509Certificate2Collection chain, AsymmetricKeyParameter privateKey)
    {
        Chain = chain;
        PrivateKey = privateKey;
    }

    public X509Certificate2Collection Chain { get; }

    public X509Certificate2 Leaf => Chain[0];

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>
    /// The signature algorithm we sign handshakes with, matched to the key's curve (ECDSA P-256 with SHA-256, P-384
    /// with SHA-384), so the signer never has to guess from the peer's list.
    /// </summary>
    public SignatureAndHashAlgorithm SignatureAlgorithm =>
        ((ECPrivateKeyParameters)PrivateKey).Parameters.Curve.FieldSize > 256
            ? SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha384, Org.BouncyCastle.Tls.SignatureAlgorithm.ecdsa)
            : SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, Org.BouncyCastle.Tls.SignatureAlgorithm.ecdsa);

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

    /// <summary>The handshake signer for one connection: this chain and key, within that connection's context.</summary>
    internal TlsCredentialedSigner CreateSigner(TlsContext context, BcTlsCrypto crypto) =>
        new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context), crypto, PrivateKey, CertificateFiles.ToTlsCertificate(Chain, crypto), SignatureAlgorithm);
}
