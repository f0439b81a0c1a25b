using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace SecureCam.Bench.Tls;

/// <summary>
/// Opens a new TCP connection and runs a full mutual-TLS handshake on it, every time. Nothing is
/// shared between connections that could shorten a handshake: each gets its own socket, its own
/// SslStream and a fresh <see cref="SslClientAuthenticationOptions"/> with
/// <see cref="SslClientAuthenticationOptions.AllowTlsResume"/> off, which keeps .NET from offering a
/// cached session or ticket (on Linux it otherwise caches client sessions per target since .NET 8).
/// compare.sh checks this from the other side: nginx logs $ssl_session_reused for every request.
/// </summary>
internal sealed class MutualTlsConnector
{
    private readonly ClientIdentity _identity;
    private readonly EndPoint _endPoint;
    private readonly CipherSuitesPolicy? _cipherSuites;

    /// <param name="url">the https URL to connect to</param>
    /// <param name="identity">the client certificate and the CA the server must chain to</param>
    /// <param name="cipherSuites">the suites to offer; null for the system OpenSSL's defaults</param>
    public MutualTlsConnector(Uri url, ClientIdentity identity, CipherSuitesPolicy? cipherSuites = null)
    {
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new BenchInputException($"--url {url}: must be https (the bench measures mutual TLS)");
        }

        Url = url;
        _identity = identity;
        _cipherSuites = cipherSuites;
        _endPoint = IPAddress.TryParse(url.IdnHost, out var address)
            ? new IPEndPoint(address, url.Port)
            : new DnsEndPoint(url.IdnHost, url.Port);
        HostHeader = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
    }

    public Uri Url { get; }

    /// <summary>The Host header value for requests on these connections.</summary>
    public string HostHeader { get; }

    public async Task<SslStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? tls = null;
        try
        {
            await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = Url.IdnHost,
                AllowTlsResume = false,
                ClientCertificateContext = _identity.CertificateContext,
                RemoteCertificateValidationCallback = _identity.ValidateServer,
                CipherSuitesPolicy = _cipherSuites,

                // HTTP/1.1 only: the bench speaks it by hand, and both servers are compared on it.
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            };
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }
}
