using System.Buffers;
using SecureCam.Bench.Http;
using SecureCam.Bench.Mjpeg;
using SecureCam.Bench.Tls;

namespace SecureCam.Bench.Workloads;

/// <summary>
/// One MJPEG viewer: a mutual-TLS connection, `GET /video`, then reading the stream into one pooled
/// buffer and pushing it through the chunked decoder (when used) and the part parser. JPEGs are never
/// decoded or copied; the steady state allocates nothing per frame.
/// </summary>
internal sealed class ViewerConnection
{
    // Large enough that one read usually drains what the socket holds (several TLS records).
    private const int BufferSize = 64 * 1024;

    private readonly MutualTlsConnector _connector;
    private readonly byte[] _request;

    public ViewerConnection(MutualTlsConnector connector, byte[] request, ViewerRecorder recorder)
    {
        _connector = connector;
        _request = request;
        Recorder = recorder;
    }

    public ViewerRecorder Recorder { get; }

    /// <summary>Bytes read from the TLS stream (HTTP framing included) while recording.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The negotiated protocol and cipher suite ("Tls13 TLS_AES_128_GCM_SHA256"); null until the handshake is done.</summary>
    public string? Tls { get; private set; }

    /// <summary>Set when the stream is open and the response head was a 200 multipart stream.</summary>
    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Reads until <paramref name="stop"/>; returns normally then, or throws what broke the stream.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var tls = await _connector.ConnectAsync(stop).ConfigureAwait(false);
            Tls = $"{tls.SslProtocol} {tls.NegotiatedCipherSuite}";
            var (head, offset, count) = await HttpGet.SendAsync(tls, _request, buffer, stop).ConfigureAwait(false);
            if (head.StatusCode != 200)
            {
                throw new BenchHttpException($"HTTP {head.StatusCode}");
            }

            var boundary = head.MultipartBoundary()
                ?? throw new BenchHttpException($"not a multipart stream (Content-Type: {head.ContentType ?? "none"})");
            var parser = new MjpegPartParser(boundary, Recorder);
            IBodyConsumer sink = head.IsChunked ? new ChunkedBodyDecoder(parser) : parser;
            Connected.TrySetResult();
            sink.Consume(buffer.AsSpan(offset, count));
            while (true)
            {
                var read = await tls.ReadAsync(buffer, stop).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("the server ended the stream");
                }

                if (Recorder.Recording)
                {
                    BytesRead += read;
                }

                sink.Consume(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The measured window is over.
        }
        catch (Exception e)
        {
            Connected.TrySetException(e);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
