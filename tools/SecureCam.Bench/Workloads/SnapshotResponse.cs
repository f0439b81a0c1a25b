using SecureCam.Bench.Http;

namespace SecureCam.Bench.Workloads;

/// <summary>Reading a `GET /snapshot` response: the whole body, whatever its framing, and it must be a JPEG.</summary>
internal static class SnapshotResponse
{
    /// <summary>Reads a snapshot response to its end and checks it is a JPEG.</summary>
    public static async Task ReadBodyAsync(
        Stream stream, HttpResponseHead head, byte[] buffer, int offset, int count, CountingBodyConsumer body, CancellationToken cancellationToken)
    {
        if (head.StatusCode != 200)
        {
            throw new BenchHttpException($"HTTP {head.StatusCode}");
        }

        body.Reset();
        var chunked = head.IsChunked ? new ChunkedBodyDecoder(body) : null;
        IBodyConsumer sink = chunked is null ? body : chunked;
        sink.Consume(buffer.AsSpan(offset, count));
        while (!(head.ContentLength is { } length ? body.Length >= length : chunked?.IsComplete ?? false))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (head.ContentLength is null && chunked is null)
                {
                    break; // delimited by close, as HTTP/1.0-style responses are
                }

                throw new EndOfStreamException($"connection closed after {body.Length} body bytes");
            }

            sink.Consume(buffer.AsSpan(0, read));
        }

        if (!body.StartsWithJpegMarker)
        {
            throw new BenchHttpException("the snapshot is not a JPEG");
        }
    }
}
