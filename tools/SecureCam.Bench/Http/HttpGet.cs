using System.Text;

namespace SecureCam.Bench.Http;

/// <summary>
/// A hand-written HTTP/1.1 GET on an already open stream: the bench must control connection reuse
/// (none) and allocations per frame (none), which HttpClient does not let it do.
/// </summary>
internal static class HttpGet
{
    private const int MaxHeadLength = 16 * 1024;

    /// <summary>The request bytes; "Connection: close" so a server never keeps the connection for reuse.</summary>
    public static byte[] Request(string path, string hostHeader, bool close) => Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: securecam-bench\r\nAccept: */*\r\n"
        + (close ? "Connection: close\r\n" : string.Empty) + "\r\n");

    /// <summary>
    /// Sends <paramref name="request"/> and reads the response head into <paramref name="buffer"/>.
    /// Returns the head and where the first body bytes already read sit in the buffer.
    /// </summary>
    public static async Task<(HttpResponseHead Head, int BodyOffset, int BodyCount)> SendAsync(
        Stream stream, byte[] request, byte[] buffer, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var filled = 0;
        var limit = Math.Min(buffer.Length, MaxHeadLength);
        while (true)
        {
            if (HttpResponseHead.TryParse(buffer.AsSpan(0, filled), out var head, out var headLength))
            {
                return (head!, headLength, filled - headLength);
            }

            if (filled == limit)
            {
                throw new InvalidDataException($"response head longer than {limit} bytes");
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("connection closed before the response head was complete");
            }

            filled += read;
        }
    }
}
