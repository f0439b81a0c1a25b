using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>Making, saving and loading the CA's private key, and the signature algorithm it implies.</summary>
internal static class CaKeys
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaPublicKeyOid = "1.2.840.113549.1.1.1";
    private const string EncryptedLabel = "ENCRYPTED PRIVATE KEY";

    /// <summary>
    /// PBKDF2-HMAC-SHA256 rounds for the encrypted CA key: OWASP's 2023 figure for that hash. It costs a
    /// fraction of a second per command, once, and slows guessing a stolen key file as much.
    /// </summary>
    private const int PassphraseIterations = 600_000;

    public static AsymmetricAlgorithm Create(CaKeyAlgorithm algorithm) => algorithm switch
    {
        CaKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CaKeyAlgorithm.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        CaKeyAlgorithm.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>PKCS#8 PEM, encrypted with AES-256-CBC under PBKDF2 when a passphrase is given.</summary>
    public static string ExportPem(AsymmetricAlgorithm key, string? passphrase) =>
        passphrase is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(
                passphrase,
                new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, PassphraseIterations));

    public static bool IsEncrypted(string pem) => pem.Contains("-----BEGIN " + EncryptedLabel, StringComparison.Ordinal);

    /// <summary>Loads the key for <paramref name="certificate"/>'s public key type; a wrong passphrase is a PkiException.</summary>
    public static AsymmetricAlgorithm Import(X509Certificate2 certificate, string pem, string? passphrase, string keyPath)
    {
        AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() switch
        {
            EcPublicKeyOid => ECDsa.Create(),
            RsaPublicKeyOid => RSA.Create(),
            var other => throw new PkiException($"the CA certificate has a key type securecam-pki does not handle ({other})"),
        };
        try
        {
            if (IsEncrypted(pem))
            {
                if (string.IsNullOrEmpty(passphrase))
                {
                    throw new PkiException($"{keyPath} is encrypted and no CA passphrase was given");
                }

                key.ImportFromEncryptedPem(pem, passphrase);
            }
            else
            {
                key.ImportFromPem(pem);
            }

            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw IsEncrypted(pem)
                ? new PkiException($"wrong CA passphrase (cannot decrypt {keyPath})", e)
                : new PkiException($"{keyPath} is not a readable private key: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new PkiException($"{keyPath} is not a readable private key: {e.Message}", e);
        }
    }

    /// <summary>SHA-384 for P-384 (matching the curve's strength), SHA-256 otherwise.</summary>
    public static HashAlgorithmName HashFor(AsymmetricAlgorithm key) =>
        key is ECDsa { KeySize: >= 384 } ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>
    /// A signer for certificates and CRLs. RSA uses PKCS#1 v1.5: PSS signatures on certificates are
    /// still refused by some phones' TLS stacks.
    /// </summary>
    public static X509SignatureGenerator SignatureGenerator(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new PkiException("the CA key type is not supported"),
    };

    public static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new PkiException("the CA key type is not supported"),
    };
}
