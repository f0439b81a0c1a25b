using System.Buffers.Text;
using System.Security.Cryptography;

namespace SecureCam.Acme.Tests;

/// <summary>The account key's JWK, thumbprint and key authorizations.</summary>
public sealed class AccountKeyTests
{
    [Fact]
    public void The_thumbprint_is_sha256_of_the_canonical_jwk_as_rfc_7638_defines_it()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = AccountKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
        var q = ecdsa.ExportParameters(false).Q;

        // RFC 7638 §3.2 spelled out: the required members in lexicographic order, no whitespace.
        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Base64Url.EncodeToString(q.X) + "\",\"y\":\"" + Base64Url.EncodeToString(q.Y) + "\"}";
        var expected = Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, key.Thumbprint);
        Assert.Equal(43, key.Thumbprint.Length);
        Assert.Equal(["crv", "kty", "x", "y"], key.Jwk().Keys);
        Assert.Equal("tok." + expected, key.KeyAuthorization("tok"));
    }

    [Fact]
    public void Signatures_are_64_byte_r_s_pairs_that_verify_and_the_key_survives_pem()
    {
        using var key = AccountKey.Generate();
        using var reloaded = AccountKey.FromPem(key.ExportPem());
        var data = "header.payload"u8.ToArray();

        var signature = reloaded.Sign(data);

        Assert.Equal(key.Thumbprint, reloaded.Thumbprint);
        Assert.Equal(64, signature.Length);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(key.Jwk()["x"]), Y = Base64Url.DecodeFromChars(key.Jwk()["y"]) },
        });
        Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => AccountKey.FromPem(p384.ExportPkcs8PrivateKeyPem()));
    }
}
