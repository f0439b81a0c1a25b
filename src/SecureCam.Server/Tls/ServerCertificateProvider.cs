using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace SecureCam.Server.Tls;

/// <summary>
/// Picks the server certificate per connection (by SNI and the registered selectors) and keeps the
/// local CA's server certificate (pki/issued/NAME/cert.pem, key.pem, chain.pem) current: a renewed
/// certificate is loaded on the next poll without a restart. Open connections keep the certificate
/// they were handshaken with, so no stream is dropped. The <see cref="SslStreamCertificateContext"/> is
/// built once per change (building it per handshake would rebuild the chain every time).
/// </summary>
internal sealed partial class ServerCertificateProvider : IReloadable
{
    private readonly ServerPkiPaths _paths;
    private readonly LocalCaCertificate _ca;
    private readonly IServerCertificateSelector[] _selectors;
    private readonly ILogger<ServerCertificateProvider> _logger;
    private volatile Loaded _current;
    private FileStamp _stamp;
    private volatile bool _caChanged;

    public ServerCertificateProvider(
        ServerPkiPaths paths,
        LocalCaCertificate ca,
        IEnumerable<IServerCertificateSelector> selectors,
        ILogger<ServerCertificateProvider> logger)
    {
        _paths = paths;
        _ca = ca;
        _selectors = selectors.ToArray();
        _logger = logger;
        _stamp = Stamp();
        _current = Load();
        _ca.Changed += (_, _) => _caChanged = true;
    }

    /// <summary>The local server certificate currently served (for /api/status: its expiry).</summary>
    public X509Certificate2 Certificate => _current.Certificate;

    public ServerCertificateChoice Select(TlsHandshakeCallbackContext context)
    {
        foreach (var selector in _selectors)
        {
            if (selector.Select(context) is { } choice)
            {
                return choice;
            }
        }

        return _current.Choice;
    }

    public void ReloadIfChanged()
    {
        var stamp = Stamp();
        if (stamp == _stamp && !_caChanged)
        {
            return;
        }

        // Recorded before loading: files that do not load are reported once, not every poll; the old
        // certificate keeps serving, and the next write (e.g. the rename that completes a renewal)
        // changes the stamp and is tried again.
        _stamp = stamp;
        _caChanged = false;
        var loaded = Load();
        _current = loaded;
        LogReloaded(_logger, loaded.Certificate.Subject, loaded.Certificate.SerialNumber, loaded.Certificate.NotAfter);
    }

    private FileStamp Stamp() => FileStamp.Of(_paths.ServerCertificate, _paths.ServerKey, _paths.ServerChain);

    private Loaded Load()
    {
        if (!File.Exists(_paths.ServerCertificate) || !File.Exists(_paths.ServerKey))
        {
            throw new FileNotFoundException(
                $"{_paths.ServerCertificate} (and key.pem) not found: issue it with `securecam-pki issue-server {_paths.ServerCertificateName} --dns HOST --ip ADDR` (or run `securecam demo`)",
                _paths.ServerCertificate);
        }

        // On Linux SslStream uses the PEM-loaded (ephemeral) key directly; no PKCS#12 round-trip needed.
        var certificate = X509Certificate2.CreateFromPemFile(_paths.ServerCertificate, _paths.ServerKey);
        var intermediates = new X509Certificate2Collection();
        if (File.Exists(_paths.ServerChain))
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(_paths.ServerChain);
            foreach (var element in chain)
            {
                // The leaf and self-signed roots are not intermediates; the client has the root already.
                if (element.Thumbprint != certificate.Thumbprint && element.SubjectName.RawData.AsSpan().SequenceEqual(element.IssuerName.RawData) is false)
                {
                    intermediates.Add(element);
                }
            }
        }

        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true, trust: _ca.Trust);
        return new Loaded(certificate, new ServerCertificateChoice(context, RequireClientCertificate: true));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "server certificate loaded: {Subject} serial {Serial}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string subject, string serial, DateTime notAfter);

    private sealed record Loaded(X509Certificate2 Certificate, ServerCertificateChoice Choice);
}
