using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Bench.Dtls;

/// <summary>
/// Throwaway ECDSA P-256 certificates for the DTLS bench, written as PEM to a temp folder: a CA, a collector for
/// 127.0.0.1 (serverAuth) and a device (clientAuth) — the shapes securecam-pki issues.
/// </summary>
internal sealed class BenchCertificates : IDisposable
{
    public BenchCertificates()
    {
        Directory.CreateDirectory(Folder);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2)); // outlives its leaves, made a moment later with now + 1 day
        CaFile = Path.Combine(Folder, "ca.crt");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        Collector = Issue(ca, "collector", "1.3.6.1.5.5.7.3.1", IPAddress.Loopback);
        Device = Issue(ca, "bench-camera", "1.3.6.1.5.5.7.3.2", null);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "securecam-bench-dtls-" + Guid.NewGuid().ToString("N"));

    public string CaFile { get; }

    public (string Cert, string Key) Collector { get; }

    public (string Cert, string Key) Device { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private (string Cert, string Key) Issue(X509Certificate2 ca, string name, string usage, IPAddress? ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (ip is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(ip);
            request.CertificateExtensions.Add(san.Build());
        }

        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        var certPath = Path.Combine(Folder, name + ".crt");
        var keyPath = Path.Combine(Folder, name + ".key");
        File.WriteAllText(certPath, issued.ExportCertificatePem());
        Pki.AtomicFile.WriteText(keyPath, key.ExportPkcs8PrivateKeyPem(), Pki.AtomicFile.Secret);
        return (certPath, keyPath);
    }
}
