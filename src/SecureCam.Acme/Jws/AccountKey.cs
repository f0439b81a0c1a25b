using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SecureCam.Acme;

/// <summary>
/// An ACME account key: ECDSA P-256, signing with ES256 (RFC 7518 §3.4: the signature is r‖s, the
/// IEEE P1363 format, not DER). Knows its JWK and its RFC 7638 thumbprint.
/// </summary>
public sealed class AccountKey : IDisposable
{
    private readonly ECDsa _key;

    private AccountKey(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new ArgumentException("An ACME account key must be ECDSA P-256 (ES256).", nameof(key));
        }

        _key = key;
        X = Base64Url.EncodeToString(parameters.Q.X!);
        Y = Base64Url.EncodeToString(parameters.Q.Y!);
        Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJwk())));
    }

    /// <summary>The JWK "alg" for this key.</summary>
    public static string Algorithm => "ES256";

    /// <summary>RFC 7638 thumbprint: base64url(SHA-256 of the canonical JWK). Part of every key authorization.</summary>
    public string Thumbprint { get; }

    private string X { get; }

    private string Y { get; }

    public static AccountKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads a key from PKCS#8 (or SEC1 "EC PRIVATE KEY") PEM.</summary>
    public static AccountKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new AccountKey(key);
    }

    /// <summary>Unencrypted PKCS#8 PEM; the caller writes it with mode 0600.</summary>
    public string ExportPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>The public JWK as an object for a JWS header, members in RFC 7638 order.</summary>
    public IReadOnlyDictionary<string, string> Jwk() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["crv"] = "P-256",
        ["kty"] = "EC",
        ["x"] = X,
        ["y"] = Y,
    };

    /// <summary>The key authorization for a challenge token: token "." thumbprint (RFC 8555 §8.1).</summary>
    public string KeyAuthorization(string token) => token + "." + Thumbprint;

    /// <summary>ES256 signature of <paramref name="data"/> in the JWS (P1363) format.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();

    // RFC 7638 §3: required members only, lexicographic order, no whitespace.
    private string CanonicalJwk() => $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{X}\",\"y\":\"{Y}\"}}";
}
