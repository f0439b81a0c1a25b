using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureCam.Acme;

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
