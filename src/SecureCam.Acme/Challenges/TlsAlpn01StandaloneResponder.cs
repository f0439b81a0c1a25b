using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace SecureCam.Acme;

/// <summary>
/// A TLS listener that only completes acme-tls/1 handshakes with the challenge certificates of a
/// <see cref="TlsAlpn01CertificateStore"/>, chosen by SNI; for the one-shot CLI and tests.
/// </summary>
public sealed class TlsAlpn01StandaloneResponder : StandaloneResponder
{
    private readonly TlsAlpn01CertificateStore _store;

    /// <summary>Listens at once on <paramref name="port"/> (443 in production), dual-stack unless an address is given.</summary>
    public TlsAlpn01StandaloneResponder(TlsAlpn01CertificateStore store, int port, IPAddress? address = null)
        : base(port, address)
    {
        _store = store;
    }

    protected override async Task<bool> HandleAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await using (tls.ConfigureAwait(false))
        {
            // The options are chosen once the ClientHello's SNI is known; a name with no pending
            // challenge fails the handshake, as RFC 8737 wants.
            await tls.AuthenticateAsServerAsync(
                (_, hello, _, _) => ValueTask.FromResult(_store.CreateServerOptions(hello.ServerName)
                    ?? throw new AuthenticationException($"no tls-alpn-01 challenge for '{hello.ServerName}'")),
                null,
                cancellationToken).ConfigureAwait(false);

            // The validator checks the certificate and hangs up; nothing is exchanged after the handshake.
            return tls.NegotiatedApplicationProtocol == TlsAlpn01CertificateStore.Protocol;
        }
    }
}
