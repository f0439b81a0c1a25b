using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Acme;

/// <summary>
/// An issued certificate: the leaf with its private key, the intermediates, and both as PEM for storage.
/// What a TLS listener serves: <see cref="Certificate"/> with <see cref="Chain"/>
/// (e.g. SslStreamCertificateContext.Create(Certificate, Chain)).
/// </summary>
public sealed class AcmeCertificate : IDisposable
{
    private AcmeCertificate(X509Certificate2 certificate, X509Certificate2Collection chain, string fullChainPem, string privateKeyPem)
    {
        Certificate = certificate;
        Chain = chain;
        FullChainPem = fullChainPem;
        PrivateKeyPem = privateKeyPem;
    }

    /// <summary>The leaf, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediates, in the order the CA sent them (issuer of the leaf first).</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>Leaf then intermediates, PEM.</summary>
    public string FullChainPem { get; }

    /// <summary>The leaf's private key, PKCS#8 PEM: a secret, written with mode 0600 and never logged.</summary>
    public string PrivateKeyPem { get; }

    public DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime());

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime());

    public string SerialNumber => Certificate.SerialNumber;

    /// <summary>The DNS names and IP addresses in the leaf's SAN.</summary>
    public IReadOnlyList<string> Names =>
        Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString())))
            .ToList();

    /// <summary>Builds one from a PEM chain (leaf first) and the leaf's private key PEM; checks they belong together.</summary>
    public static AcmeCertificate FromPem(string fullChainPem, string privateKeyPem)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(fullChainPem);
        if (all.Count == 0)
        {
            throw new AcmeException("the certificate chain holds no certificate");
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        X509Certificate2 leaf;
        try
        {
            leaf = all[0].CopyWithPrivateKey(key);
        }
        catch (ArgumentException e)
        {
            throw new AcmeException("the private key does not match the certificate", e);
        }

        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        all[0].Dispose();
        return new AcmeCertificate(leaf, chain, fullChainPem, privateKeyPem);
    }

    /// <summary>True when the leaf's SAN holds every one of <paramref name="names"/> (case-insensitive).</summary>
    public bool Covers(IEnumerable<string> names)
    {
        // Each identifier as ordered, not MatchesHostname: a wildcard that happens to cover a name is not what was ordered.
        var have = new HashSet<string>(Names, StringComparer.OrdinalIgnoreCase);
        return names.All(n => have.Contains(AcmeIdentifier.For(n).Value));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
