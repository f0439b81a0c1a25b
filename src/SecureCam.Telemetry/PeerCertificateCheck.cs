using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Telemetry;

/// <summary>The checks we apply to a certificate a DTLS peer showed.</summary>
public static class PeerCertificateCheck
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>SHA-256 of the certificate's DER, as colon-separated upper-case hex (the form `openssl x509 -fingerprint -sha256` prints).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    /// <summary>Only named P-256 and P-384: explicit curve parameters are how CVE-2024-29857 burns CPU in BouncyCastle.</summary>
    public static bool IsAcceptedCurve(ECCurve curve) =>
        curve.IsNamed && curve.Oid.Value is "1.2.840.10045.3.1.7" or "1.3.132.0.34";

    /// <summary>Null when the leaf has an accepted key, else the reason.</summary>
    public static string? CheckKey(X509Certificate2 leaf)
    {
        try
        {
            using var key = leaf.GetECDsaPublicKey();
            if (key is null)
            {
                return "the certificate's key is not an ECDSA key";
            }

            return IsAcceptedCurve(key.ExportParameters(false).Curve) ? null : "the certificate's key is not on the named curve P-256 or P-384";
        }
        catch (CryptographicException e)
        {
            return "the certificate's key cannot be read: " + e.Message;
        }
    }

    /// <summary>
    /// Checks that <paramref name="presented"/> (leaf first) chains to <paramref name="trustAnchor"/> and no other root
    /// (the system store is never consulted), is valid now, and carries the EKU for its role. Null when it does, else
    /// the reason.
    /// </summary>
    public static string? CheckChain(IReadOnlyList<X509Certificate2> presented, X509Certificate2Collection trustAnchor, bool peerIsServer)
    {
        if (presented.Count == 0)
        {
            return "no certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(peerIsServer ? ServerAuthOid : ClientAuthOid));
        for (var i = 1; i < presented.Count; i++)
        {
            chain.ChainPolicy.ExtraStore.Add(presented[i]);
        }

        if (chain.Build(presented[0]))
        {
            return null;
        }

        var problems = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
        return "the certificate does not chain to the given CA: " + string.Join("; ", problems);
    }

    /// <summary>True when the leaf's DNS or IP subject alternative names match <paramref name="expectedName"/> (never the CN).</summary>
    public static bool MatchesName(X509Certificate2 leaf, string expectedName) =>
        leaf.MatchesHostname(expectedName, allowWildcards: true, allowCommonName: false);

    /// <summary>The subject's common name, or the whole subject when it has none.</summary>
    public static string CommonName(X509Certificate2 certificate)
    {
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(cn) ? certificate.Subject : cn;
    }
}
