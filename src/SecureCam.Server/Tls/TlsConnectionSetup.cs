using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SecureCam.Server.Audit;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Tls;

/// <summary>
/// Builds the TLS options of each incoming connection (Kestrel's per-connection callback): the server
/// certificate chosen for its SNI, a client certificate demanded in the handshake itself (HTTP/2
/// forbids asking later), TLS 1.2/1.3, ALPN h2 + http/1.1, and our own client-certificate check.
/// </summary>
internal sealed class TlsConnectionSetup(
    ServerCertificateProvider certificates,
    ClientCertificateValidator validator,
    AuditLog audit,
    ServerSettings settings)
{
    private static readonly List<SslApplicationProtocol> HttpProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public TlsHandshakeCallbackOptions CreateCallbackOptions() => new()
    {
        OnConnection = context => ValueTask.FromResult(Create(context)),
        HandshakeTimeout = settings.HandshakeTimeout,
    };

    public SslServerAuthenticationOptions Create(TlsHandshakeCallbackContext context)
    {
        var choice = certificates.Select(context);
        var remote = context.Connection.RemoteEndPoint?.ToString();
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = choice.Certificate,
            ClientCertificateRequired = choice.RequireClientCertificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = choice.ApplicationProtocols?.ToList() ?? HttpProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

            // A resumed session skips the client certificate: every connection gets a full handshake
            // so a revoked certificate is refused on the very next connection.
            AllowTlsResume = false,
        };

        if (choice.RequireClientCertificate)
        {
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) => Check(certificate, remote);
        }

        return options;
    }

    private bool Check(X509Certificate? presented, string? remote)
    {
        var certificate = presented switch
        {
            null => null,
            X509Certificate2 c2 => c2,
            _ => X509CertificateLoader.LoadCertificate(presented.GetRawCertData()),
        };

        // SslStream's own verdict (sslPolicyErrors) is ignored on purpose: it trusts system roots.
        var verdict = validator.Validate(certificate);
        if (!verdict.Accepted)
        {
            audit.ClientRejected("handshake", remote, certificate, verdict.Reason);
        }

        return verdict.Accepted;
    }
}
