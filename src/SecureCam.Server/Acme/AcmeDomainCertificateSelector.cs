using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using SecureCam.Acme;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Acme;

/// <summary>
/// The SNI split: a connection that names one of the ACME domains gets the ACME certificate (with its
/// intermediates); every other name, an address or no SNI falls through to the local CA's certificate.
/// Client certificates are still demanded and still come from the local CA: the context carries the
/// local CA as trust, so the CertificateRequest names it. A renewed certificate replaces the cached
/// context at once (<see cref="AcmeCertificateManager.CertificateChanged"/>); open connections keep
/// the certificate they were handshaken with, so no stream is dropped.
/// </summary>
internal sealed partial class AcmeDomainCertificateSelector : IServerCertificateSelector
{
    private readonly AcmeCertificateManager _manager;
    private readonly LocalCaCertificate _ca;
    private readonly HashSet<string> _domains;
    private readonly ILogger<AcmeDomainCertificateSelector> _logger;
    private volatile Served? _served;

    public AcmeDomainCertificateSelector(AcmeCertificateManager manager, AcmeSettings settings, LocalCaCertificate ca, ILogger<AcmeDomainCertificateSelector> logger)
    {
        _manager = manager;
        _ca = ca;
        _logger = logger;
        _domains = new HashSet<string>(settings.Domains, StringComparer.OrdinalIgnoreCase);
        _manager.CertificateChanged += (_, e) => Serve(e.Certificate);
        _ca.Changed += (_, _) =>
        {
            if (_manager.Current is { } current)
            {
                Serve(current);
            }
        };

        // The stored certificate serves from the first connection on, before the renewal loop runs.
        if (_manager.Current is null)
        {
            _manager.LoadStored();
        }
        else
        {
            Serve(_manager.Current);
        }
    }

    public ServerCertificateChoice? Select(TlsHandshakeCallbackContext context)
    {
        var served = _served;
        var name = context.ClientHelloInfo.ServerName;
        return served is not null && !string.IsNullOrEmpty(name) && served.Names.Contains(name.TrimEnd('.'))
            ? served.Choice
            : null;
    }

    private void Serve(AcmeCertificate certificate)
    {
        // Only names that are both configured and on the certificate: after a change of Acme:Domains
        // the old certificate keeps the names it has until the new one arrives.
        var names = new HashSet<string>(certificate.Names.Where(_domains.Contains), StringComparer.OrdinalIgnoreCase);
        var context = SslStreamCertificateContext.Create(certificate.Certificate, certificate.Chain, offline: true, trust: _ca.Trust);
        _served = new Served(names, new ServerCertificateChoice(context, RequireClientCertificate: true));
        LogServing(_logger, string.Join(", ", names), certificate.SerialNumber, certificate.NotAfter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "acme: serving the ACME certificate for {Names} (serial {Serial}, valid until {NotAfter:u}); other names and addresses keep the local CA's certificate")]
    private static partial void LogServing(ILogger logger, string names, string serial, DateTimeOffset notAfter);

    private sealed record Served(HashSet<string> Names, ServerCertificateChoice Choice);
}
