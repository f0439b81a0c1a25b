using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Server.Tls;

/// <summary>
/// The local CA's certificate (pki/ca.crt): the only trust anchor for client certificates, and the CA
/// name sent in the TLS CertificateRequest so browsers offer only certificates from this CA.
/// Follows the file: a re-initialised CA is picked up without restart.
/// </summary>
internal sealed partial class LocalCaCertificate : IReloadable
{
    private readonly string _path;
    private readonly ILogger<LocalCaCertificate> _logger;
    private volatile Snapshot _current;
    private FileStamp _stamp;

    public LocalCaCertificate(string path, ILogger<LocalCaCertificate> logger)
    {
        _path = path;
        _logger = logger;
        _stamp = FileStamp.Of(path);
        _current = Load(path);
    }

    /// <summary>Raised after the CA certificate changed on disk (the server certificate context must be rebuilt).</summary>
    public event EventHandler? Changed;

    public X509Certificate2 Certificate => _current.Certificate;

    /// <summary>The CA as SslStream trust: sent in the handshake as the acceptable client-certificate CA name.</summary>
    public SslCertificateTrust Trust => _current.Trust;

    /// <summary>
    /// The chain policy SslStream builds the client's chain with before it calls our validation: this
    /// CA as the only root, no downloads, no revocation fetch. SslStream builds a chain for every
    /// handshake whatever we do; with its default policy that build also walked the system trust store
    /// and the certificate-store folders, about a third of the server's CPU per connection in the
    /// handshake benchmark (docs/benchmarks.md). SslStream copies the policy, so one instance serves all.
    /// Its verdict still decides nothing: <see cref="ClientCertificateValidator"/> does.
    /// </summary>
    public X509ChainPolicy ClientChainPolicy => _current.ClientChainPolicy;

    public void ReloadIfChanged()
    {
        var stamp = FileStamp.Of(_path);
        if (stamp == _stamp)
        {
            return;
        }

        _stamp = stamp;
        _current = Load(_path);
        LogReloaded(_logger, _current.Certificate.Subject, _current.Certificate.NotAfter);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private static Snapshot Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} not found: create the CA with `securecam-pki init` (or run `securecam demo`)", path);
        }

        var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        var trust = SslCertificateTrust.CreateForX509Collection(new X509Certificate2Collection(certificate), sendTrustInHandshake: true);
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(certificate);
        return new Snapshot(certificate, trust, policy);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CA certificate changed on disk, now {Subject} (until {NotAfter:u})")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    private sealed record Snapshot(X509Certificate2 Certificate, SslCertificateTrust Trust, X509ChainPolicy ClientChainPolicy);
}
