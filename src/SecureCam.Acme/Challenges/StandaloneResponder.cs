using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace SecureCam.Acme;

/// <summary>
/// The accept loop shared by the standalone responders: one dual-stack listener, each connection
/// handled on its own task with a time limit, stopped and awaited on dispose.
/// </summary>
public abstract class StandaloneResponder : IAsyncDisposable
{
    // A validator sends its request at once; a connection that idles longer is not one.
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _answered;

    protected StandaloneResponder(int port, IPAddress? address)
    {
        _listener = DualStackListener.Start(address, port);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port listened on (useful when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>How many challenge requests were answered with a key authorization / certificate.</summary>
    public int Answered => Volatile.Read(ref _answered);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Serves one connection; returns true when it answered a challenge.</summary>
    protected abstract Task<bool> HandleAsync(NetworkStream stream, CancellationToken cancellationToken);

    private async Task AcceptLoopAsync()
    {
        var running = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            running.RemoveAll(t => t.IsCompleted);
            running.Add(ServeAsync(client));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(ConnectionTimeout);
            try
            {
                if (await HandleAsync(client.GetStream(), timeout.Token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _answered);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
                or AuthenticationException or ObjectDisposedException)
            {
                // A probe, a scanner or a validator that hung up: nothing to do for the next one.
            }
        }
    }
}

/// <summary>
/// A minimal plain-HTTP server that only answers GET /.well-known/acme-challenge/TOKEN from an
/// <see cref="Http01TokenStore"/>; for the one-shot CLI and tests (the server answers on Kestrel).
/// Hand-written because HttpListener cannot be told to listen dual-stack and the library must not
/// depend on ASP.NET.
/// </summary>
public sealed class Http01StandaloneResponder : StandaloneResponder
{
    private const int MaxRequestHead = 8192;
    private readonly Http01TokenStore _store;

    /// <summary>Listens at once on <paramref name="port"/> (80 in production), on [::] and 0.0.0.0 unless an address is given.</summary>
    public Http01StandaloneResponder(Http01TokenStore store, int port, IPAddress? address = null)
        : base(port, address)
    {
        _store = store;
    }

    protected override async Task<bool> HandleAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        var requestLine = head.Split("\r\n", 2)[0].Split(' ');
        var found = requestLine.Length == 3
            && requestLine[0] is "GET" or "HEAD"
            && _store.TryGetKeyAuthorizationForPath(requestLine[1], out var keyAuthorization)
            ? keyAuthorization
            : null;
        var body = Encoding.ASCII.GetBytes(found ?? "not found\n");
        var status = found is null ? "404 Not Found" : "200 OK";
        var response = $"HTTP/1.1 {status}\r\nContent-Type: {(found is null ? "text/plain" : Http01TokenStore.ContentType)}\r\n" +
                       $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken).ConfigureAwait(false);
        if (requestLine[0] != "HEAD")
        {
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }

        return found is not null;
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(buffer, 0, length);
    }
}

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

/// <summary>
/// A TCP listener on [::] with IPv4 mapped in, so one socket answers both families: validators try
/// IPv6 first when a name has an AAAA record (Pebble does for "localhost"). Falls back to 0.0.0.0
/// on a host without IPv6.
/// </summary>
internal static class DualStackListener
{
    public static TcpListener Start(IPAddress? address, int port)
    {
        if (address is not null)
        {
            var specific = new TcpListener(address, port);
            specific.Start();
            return specific;
        }

        if (Socket.OSSupportsIPv6)
        {
            var listener = new TcpListener(IPAddress.IPv6Any, port);
            try
            {
                listener.Server.DualMode = true;
                listener.Start();
                return listener;
            }
            catch (SocketException) when (IsIpv6Unavailable())
            {
                listener.Dispose();
            }
        }

        var ipv4 = new TcpListener(IPAddress.Any, port);
        ipv4.Start();
        return ipv4;
    }

    private static bool IsIpv6Unavailable()
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
