using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests.Support;

/// <summary>
/// A PKI folder made at test time with the real PKI library (CA without passphrase, server certificate
/// for localhost/127.0.0.1), plus the bad certificates a server must refuse, minted with .NET's
/// CertificateRequest. Nothing here is ever committed: keys live in a temp folder.
/// </summary>
internal sealed class TestPki : IDisposable
{
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    private readonly TempDirectory _temp = new("securecam-server-pki");

    public TestPki()
    {
        Store = PkiStore.Open(_temp.Combine("pki"));
        using (var ca = CertificateAuthority.Init(Store, new CaOptions { Name = "SecureCam Test CA" }, passphrase: null))
        {
            ca.IssueServer("server", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        }

        Files = _temp.Combine("files");
        System.IO.Directory.CreateDirectory(Files);
    }

    public PkiStore Store { get; }

    public string Directory => Store.Directory;

    /// <summary>Where PEM copies of test certificates are written for curl.</summary>
    public string Files { get; }

    public string CaCertificatePath => Store.CaCertificatePath;

    public CertificateAuthority OpenCa() => CertificateAuthority.Load(Store, passphrase: null);

    /// <summary>A client issued by the real CA (the good path): PEM files under issued/NAME/.</summary>
    public ClientFiles IssueClient(string name, ClientRole role = ClientRole.Viewer)
    {
        using var ca = OpenCa();
        var issued = ca.IssueClient(new ClientCertificateRequest(name) { Role = role, Pkcs12Password = "test-password" });
        return new ClientFiles(name, issued.CertificatePath, issued.KeyPath, LoadWithKey(issued.CertificatePath, issued.KeyPath));
    }

    public void Revoke(string name)
    {
        using var ca = OpenCa();
        ca.Revoke(name);
    }

    /// <summary>The CA certificate with its private key (the demo-style unencrypted ca.key).</summary>
    public X509Certificate2 CaWithKey() => X509Certificate2.CreateFromPemFile(Store.CaCertificatePath, Store.CaKeyPath);

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

        serial ??= NewSerial();
        using var certificate = request.Create(issuer, X509SignatureGenerator.CreateForECDsa(signerKey), notBefore, notAfter, serial);
        return Write(name, certificate.CopyWithPrivateKey(key));
    }

    /// <summary>Signed by the real CA key, with any validity and usages.</summary>
    public ClientFiles MintFromCa(string name, DateTimeOffset notBefore, DateTimeOffset notAfter, string[] usages, string role = "viewer")
    {
        using var ca = CaWithKey();
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
        using var realCa = X509CertificateLoader.LoadCertificateFromFile(Store.CaCertificatePath);
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

    public void Dispose() => _temp.Dispose();

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

    private static X509Certificate2 LoadWithKey(string certPath, string keyPath) => X509Certificate2.CreateFromPemFile(certPath, keyPath);

    private static byte[] SubjectKeyId(X509Certificate2 certificate) =>
        Convert.FromHexString(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().First().SubjectKeyIdentifier!);

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
