using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.TestSupport;

/// <summary>
/// The tests' one PKI: a throwaway ECDSA P-256 CA and every certificate a test needs, good or bad, made at run time
/// (keys live in a temp folder, never committed).
/// <c>new TestPki()</c> makes a real PKI folder with securecam-pki's own library (CA without passphrase, a server
/// certificate for localhost, 127.0.0.1 and ::1), for a server that serves from it; <see cref="InMemory"/> makes the
/// CA alone, for peers that only read PEM files (collector, nginx, Pebble, DTLS). The Issue* leaves and the Mint*
/// certificates are made with .NET's CertificateRequest under the same CA key.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private readonly PkiStore? _store;
    private TempDirectory? _temp;

    /// <summary>A PKI folder made by the real library, as `securecam-pki init --no-passphrase` and `issue-server` make it.</summary>
    public TestPki()
    {
        _store = PkiStore.Open(Temp.Combine("pki"));
        using (var ca = CertificateAuthority.Init(_store, new CaOptions { Name = "SecureCam Test CA" }, passphrase: null))
        {
            ca.IssueServer("server", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        }

        var root = X509Certificate2.CreateFromPemFile(_store.CaCertificatePath, _store.CaKeyPath);
        Root = new TestCertificate(root, root.GetECDsaPrivateKey()!);
    }

    private TestPki(TestCertificate root)
    {
        Root = root;
    }

    /// <summary>The CA certificate with its private key.</summary>
    public TestCertificate Root { get; }

    /// <summary>The PKI folder (only for <c>new TestPki()</c>).</summary>
    public PkiStore Store => _store ?? throw new InvalidOperationException("An in-memory TestPki has no PKI folder: use new TestPki().");

    public string Directory => Store.Directory;

    public string CaCertificatePath => Store.CaCertificatePath;

    /// <summary>Where PEM copies of minted certificates are written for curl and openssl.</summary>
    public string Files
    {
        get
        {
            var files = Temp.Combine("files");
            System.IO.Directory.CreateDirectory(files);
            return files;
        }
    }

    private TempDirectory Temp => _temp ??= new TempDirectory("securecam-test-pki");

    /// <summary>A CA alone, in memory (its files appear only when a test writes them).</summary>
    public static TestPki InMemory(string name = "SecureCam Test CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        return new TestPki(new TestCertificate(certificate, key));
    }

    public CertificateAuthority OpenCa() => CertificateAuthority.Load(Store, passphrase: null);

    /// <summary>A client issued by the real CA (the good path): PEM files under issued/NAME/.</summary>
    public ClientFiles IssueClient(string name, ClientRole role = ClientRole.Viewer)
    {
        using var ca = OpenCa();
        var issued = ca.IssueClient(new ClientCertificateRequest(name) { Role = role, Pkcs12Password = "test-password" });
        return new ClientFiles(name, issued.CertificatePath, issued.KeyPath, X509Certificate2.CreateFromPemFile(issued.CertificatePath, issued.KeyPath));
    }

    /// <summary>Revokes through the real CA: index.json and crl.pem are rewritten.</summary>
    public void Revoke(string name)
    {
        using var ca = OpenCa();
        ca.Revoke(name);
    }

    /// <summary>The CA certificate with its private key, read from the folder (the unencrypted ca.key).</summary>
    public X509Certificate2 CaWithKey() => X509Certificate2.CreateFromPemFile(Store.CaCertificatePath, Store.CaKeyPath);

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

    /// <summary>
    /// A client certificate signed with <paramref name="signerKey"/> under <paramref name="issuer"/>'s name.
    /// Uses the raw signature generator, so validity windows outside the issuer's are possible (expired, not yet valid).
    /// </summary>
    public ClientFiles Mint(
        string name,
        X500DistinguishedName issuer,
        ECDsa signerKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        string[] usages,
        string role = "viewer",
        byte[]? authorityKeyId = null,
        byte[]? serial = null,
        string? subject = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject ?? $"CN={name}, OU={role}, O=SecureCam", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var oids = new OidCollection();
        foreach (var usage in usages)
        {
            oids.Add(new Oid(usage));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (authorityKeyId is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(authorityKeyId));
        }

        serial ??= NewSerial(16);
        using var certificate = request.Create(issuer, X509SignatureGenerator.CreateForECDsa(signerKey), notBefore, notAfter, serial);
        return Write(name, certificate.CopyWithPrivateKey(key));
    }

    /// <summary>Signed by the CA key (the folder's current one), with any validity and usages.</summary>
    public ClientFiles MintFromCa(string name, DateTimeOffset notBefore, DateTimeOffset notAfter, string[] usages, string role = "viewer")
    {
        using var ca = CurrentCa();
        using var caKey = ca.GetECDsaPrivateKey()!;
        return Mint(name, ca.SubjectName, caKey, notBefore, notAfter, usages, role, SubjectKeyId(ca));
    }

    /// <summary>A self-signed client certificate (what a scanner or a curious neighbour would present).</summary>
    public ClientFiles SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, OU=viewer, O=SecureCam", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Write(name, X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>A client certificate from a different CA that uses the same CA name (or its own).</summary>
    public ClientFiles FromAnotherCa(string name, bool copyCaName)
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var realCa = CurrentCa();
        var issuer = copyCaName ? realCa.SubjectName : new X500DistinguishedName("CN=Another Home CA, O=Elsewhere");
        return Mint(name, issuer, otherKey, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [ClientAuth],
            authorityKeyId: copyCaName ? SubjectKeyId(realCa) : null);
    }

    /// <summary>
    /// A copy of <paramref name="original"/>'s subject, serial and issuer (and, if asked, its authority key identifier), signed by another key:
    /// everything a log or a careless check would look at matches, only the signature does not.
    /// </summary>
    public ClientFiles ForgedCopyOf(ClientFiles original, string name, bool copyKeyId)
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var good = original.Certificate;
        return Mint(name, good.IssuerName, otherKey, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [ClientAuth],
            authorityKeyId: copyKeyId ? good.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().First().KeyIdentifier?.ToArray() : null,
            serial: good.GetSerialNumber().Reverse().ToArray(),
            subject: good.Subject);
    }

    public void Dispose() => _temp?.Dispose();

    /// <summary>A test may replace the folder's CA: read it again each time.</summary>
    private X509Certificate2 CurrentCa() => _store is null ? X509CertificateLoader.LoadPkcs12(Root.Certificate.Export(X509ContentType.Pkcs12), null) : CaWithKey();

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
        using var issued = request.Create(Root.Certificate, now.AddMinutes(-5), now.AddDays(10), NewSerial(12));
        return new TestCertificate(issued.CopyWithPrivateKey(key), key);
    }

    private ClientFiles Write(string name, X509Certificate2 certificate)
    {
        var certPath = Path.Combine(Files, name + ".crt.pem");
        var keyPath = Path.Combine(Files, name + ".key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return new ClientFiles(name, certPath, keyPath, certificate);
    }

    private static byte[] SubjectKeyId(X509Certificate2 certificate) =>
        Convert.FromHexString(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().First().SubjectKeyIdentifier!);

    private static byte[] NewSerial(int length)
    {
        var serial = RandomNumberGenerator.GetBytes(length);
        serial[0] &= 0x7F;
        return serial;
    }
}

/// <summary>A client identity as PEM files (for curl and openssl) and as a certificate with its key (for HttpClient).</summary>
public sealed record ClientFiles(string Name, string CertificatePath, string KeyPath, X509Certificate2 Certificate);
