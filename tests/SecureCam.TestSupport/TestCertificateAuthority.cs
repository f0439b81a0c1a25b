using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.TestSupport;

/// <summary>
/// A throwaway ECDSA P-256 CA for tests, made with .NET's CertificateRequest: server certificates (serverAuth, DNS/IP
/// SAN) and device certificates (clientAuth), shaped like the ones securecam-pki issues.
/// </summary>
public sealed class TestCertificateAuthority
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private TestCertificateAuthority(TestCertificate root)
    {
        Root = root;
    }

    public TestCertificate Root { get; }

    public static TestCertificateAuthority Create(string name = "SecureCam Test CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        return new TestCertificateAuthority(new TestCertificate(certificate, key));
    }

    /// <summary>A collector/server certificate: serverAuth, SAN with each name (IP literals become IP SANs).</summary>
    public TestCertificate IssueServer(string commonName, params string[] names)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        return Issue($"CN={commonName}", ServerAuth, san.Build());
    }

    /// <summary>A camera's device certificate: clientAuth, no SAN.</summary>
    public TestCertificate IssueDevice(string commonName) => Issue($"CN={commonName}", ClientAuth, null);

    /// <summary>A person's viewer certificate as securecam-pki makes it: clientAuth, role in OU=viewer.</summary>
    public TestCertificate IssueViewer(string commonName) => Issue($"CN={commonName}, OU=viewer", ClientAuth, null);

    /// <summary>A scraper's monitor certificate as securecam-pki makes it: clientAuth, role in OU=monitor.</summary>
    public TestCertificate IssueMonitor(string commonName) => Issue($"CN={commonName}, OU=monitor", ClientAuth, null);

    private TestCertificate Issue(string subject, string usage, X509Extension? san)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root.Certificate, true, false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root.Certificate, now.AddMinutes(-5), now.AddDays(10), serial);
        return new TestCertificate(issued.CopyWithPrivateKey(key), key);
    }
}
