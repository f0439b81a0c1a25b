using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SecureCam.Acme;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Acme;

/// <summary>
/// Which connections get the ACME certificate (with its intermediates):
/// <list type="bullet">
/// <item>SNI names one of its configured DNS names;</item>
/// <item>no SNI (a client connecting by address: RFC 6066 §3 forbids an address as SNI) and the
/// certificate names IP addresses, when the connection arrived on an address the certificate names
/// (the box holds the public address itself) or on a listener marked public (<c>Server:PublicListen</c>:
/// the router forwards its public address to that port).</item>
/// </list>
/// Everything else (other names, a LAN address, no SNI on an ordinary listener) falls through to the
/// local CA's certificate, so phones on the LAN see no change. Client certificates are still demanded
/// and still come from the local CA: the context carries the local CA as trust, so the
/// CertificateRequest names it. A renewed certificate replaces the cached context at once
/// (<see cref="AcmeCertificateManager.CertificateChanged"/>); open connections keep the certificate
/// they were handshaken with, so no stream is dropped.
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
        if (_served is not { } served)
        {
            return null;
        }

        var name = context.ClientHelloInfo.ServerName;
        if (!string.IsNullOrEmpty(name))
        {
            // Some clients send an address as SNI all the same: it is judged as the address it names.
            // Exact names rather than MatchesHostname: only the configured identifiers, and Acme settings refuse wildcards.
            return IPAddress.TryParse(name, out var sent)
                ? (served.Addresses.Contains(Canonical(sent)) ? served.Choice : null)
                : (served.Names.Contains(name.TrimEnd('.')) ? served.Choice : null);
        }

        if (served.Addresses.Count == 0)
        {
            return null;
        }

        var arrivedOn = (context.Connection.LocalEndPoint as IPEndPoint)?.Address;
        return (arrivedOn is not null && served.Addresses.Contains(Canonical(arrivedOn)))
               || context.Connection.Features.Get<ClientConnectionFeature>() is { IsPublicListener: true }
            ? served.Choice
            : null;
    }

    /// <summary>An IPv4 connection on a dual-stack socket shows as ::ffff:a.b.c.d; the certificate names a.b.c.d.</summary>
    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void Serve(AcmeCertificate certificate)
    {
        // Only names that are both configured and on the certificate: after a change of Acme:Identifiers
        // the old certificate keeps the names it has until the new one arrives.
        var names = new HashSet<string>(certificate.Names.Where(_domains.Contains), StringComparer.OrdinalIgnoreCase);
        var addresses = names.Select(n => IPAddress.TryParse(n, out var a) ? a : null).OfType<IPAddress>().ToHashSet();
        names.ExceptWith(addresses.Select(a => a.ToString()));
        var context = SslStreamCertificateContext.Create(certificate.Certificate, certificate.Chain, offline: true, trust: _ca.Trust);
        _served = new Served(names, addresses, new ServerCertificateChoice(context, RequireClientCertificate: true));
        LogServing(_logger, string.Join(", ", names.Concat(addresses.Select(a => a.ToString()))), certificate.SerialNumber, certificate.NotAfter,
            addresses.Count == 0
                ? "other names and connections without SNI keep the local CA's certificate"
                : "connections without SNI get it when they arrive on an address it names or on a Server:PublicListen listener; the others keep the local CA's certificate");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "acme: serving the ACME certificate for {Names} (serial {Serial}, valid until {NotAfter:u}); {Rest}")]
    private static partial void LogServing(ILogger logger, string names, string serial, DateTimeOffset notAfter, string rest);

    private sealed record Served(HashSet<string> Names, HashSet<IPAddress> Addresses, ServerCertificateChoice Choice);
}
