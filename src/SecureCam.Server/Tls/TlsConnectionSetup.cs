using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SecureCam.Server.Audit;
using SecureCam.Server.Configuration;
using SecureCam.Server.TlsOutput;

namespace SecureCam.Server.Tls;

/// <summary>
/// Builds the TLS options of each incoming connection (Kestrel's per-connection callback): the server
/// certificate chosen for its SNI, a client certificate demanded in the handshake itself (HTTP/2
/// forbids asking later), TLS 1.2/1.3 with AEAD suites only (<see cref="TlsCipherPolicy"/>), ALPN h2 + http/1.1,
/// and our own client-certificate check.
/// </summary>
internal sealed class TlsConnectionSetup(
    ServerCertificateProvider certificates,
    LocalCaCertificate ca,
    ClientCertificateValidator validator,
    AuditLog audit,
    ServerSettings settings,
    TlsCipherPolicy ciphers,
    IEnumerable<ITlsListenerHook> hooks,
    ILogger<TlsConnectionSetup> logger)
{
    private static readonly List<SslApplicationProtocol> HttpProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>TLS on one listen address: the audit wrapper (which sets the connection's <see cref="ClientConnectionFeature"/>), the hooks' pre-handshake middleware, Kestrel's HTTPS with our per-connection options and our output (<c>Server:TlsOutput</c>), the completion mark, and the hooks' post-handshake middleware.</summary>
    public void Apply(ListenOptions listen, bool isPublic = false)
    {
        listen.Use(next => connection => AuditFailedHandshakeAsync(next, connection, isPublic));
        foreach (var hook in hooks)
        {
            hook.BeforeHandshake(listen);
        }

        listen.UseHttps(
            new TlsHandshakeCallbackOptions
            {
                OnConnection = context => ValueTask.FromResult(Create(context)),
                HandshakeTimeout = settings.HandshakeTimeout,
            },
            settings.TlsOutput);
        listen.Use(next => connection =>
        {
            var state = ClientConnectionFeature.Of(connection);
            state.HandshakeCompleted = true;

            // A handshake that asked for no client certificate (today only an ACME tls-alpn-01
            // validation) never reaches HTTP, whatever ALPN it ended with: the choice was made from a
            // peek at the first ClientHello, and a client must not be able to steer it into a request
            // without a certificate (e.g. by dropping ALPN in a second ClientHello after a retry).
            // Returning closes the connection.
            return state.NoClientCertificateRequested ? Task.CompletedTask : next(connection);
        });
        foreach (var hook in hooks)
        {
            hook.AfterHandshake(listen);
        }
    }

    public SslServerAuthenticationOptions Create(TlsHandshakeCallbackContext context)
    {
        var choice = certificates.Select(context);
        var connection = context.Connection;
        var state = ClientConnectionFeature.Of(connection);
        state.ClientHelloReceived = true;
        var remote = Http.RemoteAddress.Of(connection.RemoteEndPoint);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = choice.Certificate,
            ClientCertificateRequired = choice.RequireClientCertificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuitesPolicy = ciphers.Policy,
            ApplicationProtocols = choice.ApplicationProtocols?.ToList() ?? HttpProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

            // A resumed session skips the client certificate: every connection gets a full handshake
            // so a revoked certificate is refused on the very next connection.
            AllowTlsResume = false,
        };

        if (!choice.RequireClientCertificate)
        {
            state.NoClientCertificateRequested = true;
        }
        else
        {
            options.CertificateChainPolicy = ca.ClientChainPolicy;
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                state.CertificateJudged = true;
                return Check(certificate, remote, state);
            };
        }

        return options;
    }

    /// <summary>
    /// Some handshakes fail inside OpenSSL before our validation callback runs — seen with a certificate
    /// that names the local CA's key identifier but is signed by another key ("asn1 encoding routines::EVP
    /// lib"), and with scanners speaking bad TLS. They are refused all the same; this writes their audit
    /// line, with the error SslStream kept, so no rejected client goes unrecorded.
    /// </summary>
    private async Task AuditFailedHandshakeAsync(ConnectionDelegate next, ConnectionContext connection, bool isPublic)
    {
        var state = new ClientConnectionFeature { IsPublicListener = isPublic };
        connection.Features.Set(state);
        using (HandshakeErrorCapture.Open(logger, state))
        {
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                // Only connections that sent a ClientHello: a bare port probe is no client.
                if (state is { ClientHelloReceived: true, CertificateJudged: false, HandshakeCompleted: false })
                {
                    var remote = Http.RemoteAddress.Of(connection.RemoteEndPoint);
                    if (state.HandshakeFailure is null || state.ClientLeft)
                    {
                        audit.HandshakeAbandoned(remote, state.HandshakeFailure ?? "the client closed the connection");
                    }
                    else
                    {
                        audit.ClientRejected("handshake", remote, null, "TLS handshake failed before certificate validation: " + state.HandshakeFailure);
                    }
                }
            }
        }
    }

    private bool Check(X509Certificate? presented, string? remote, ClientConnectionFeature state)
    {
        var certificate = presented switch
        {
            null => null,
            X509Certificate2 c2 => c2,
            _ => X509CertificateLoader.LoadCertificate(presented.GetRawCertData()),
        };

        // SslStream's own verdict (sslPolicyErrors) is ignored on purpose: it trusts system roots.
        // The certificate's hash is made here, once for the connection, and kept in its feature.
        var verdict = certificate is null ? validator.Validate(null) : validator.Validate(certificate, state.CertificateSha256(certificate));
        if (!verdict.Accepted)
        {
            audit.ClientRejected("handshake", remote, certificate, verdict.Reason);
        }

        state.AcceptedRole = verdict.Role;
        return verdict.Accepted;
    }
}
