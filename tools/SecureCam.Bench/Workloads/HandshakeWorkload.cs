using System.Buffers;
using System.Diagnostics;
using SecureCam.Bench.Http;
using SecureCam.Bench.Sampling;
using SecureCam.Bench.Stats;
using SecureCam.Bench.Tls;

namespace SecureCam.Bench.Workloads;

/// <summary>
/// New connections as fast as <see cref="Concurrency"/> workers can make them: each a TCP connect, a
/// full mutual-TLS handshake and one `GET /snapshot` read to the end, then closed. Bounded by time
/// and by a total count.
/// </summary>
internal sealed class HandshakeWorkload
{
    private const int BufferSize = 64 * 1024;

    private readonly MutualTlsConnector _connector;
    private readonly ErrorTally _errors = new();
    private long _started;
    private long _completed;
    private long _snapshotBytes;

    public HandshakeWorkload(MutualTlsConnector connector)
    {
        _connector = connector;
    }

    public required int Concurrency { get; init; }

    public required TimeSpan Duration { get; init; }

    public required long MaxConnections { get; init; }

    public required TimeSpan ConnectionTimeout { get; init; }

    public async Task<HandshakeResult> RunAsync(ProcessSampler? server, CancellationToken cancellationToken)
    {
        var request = HttpGet.Request(_connector.Url.PathAndQuery, _connector.HostHeader, close: true);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(Duration);

        var self = SelfCpu.Start();
        var serverStart = server?.SampleNow();
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Concurrency)
            .Select(_ => Task.Run(() => WorkerAsync(request, window.Token), CancellationToken.None))
            .ToArray();
        var perWorker = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var serverEnd = server?.SampleNow();
        cancellationToken.ThrowIfCancellationRequested();

        var handshakes = SampleBuffer.Merge(perWorker.Select(w => w.Handshake));
        var totals = SampleBuffer.Merge(perWorker.Select(w => w.Total));
        var completed = Interlocked.Read(ref _completed);
        return new HandshakeResult(
            _connector.Url.ToString(),
            Concurrency,
            Math.Round(elapsed, 3),
            completed,
            _errors.Total,
            completed / elapsed,
            Percentiles.Summarize(handshakes),
            Percentiles.Summarize(totals),
            completed > 0 ? Interlocked.Read(ref _snapshotBytes) / completed : 0,
            self.PercentOfOneCore(),
            ServerUsageMeter.Measure(server, serverStart, serverEnd, completed),
            _errors.Top());
    }

    private async Task<(SampleBuffer Handshake, SampleBuffer Total)> WorkerAsync(byte[] request, CancellationToken stop)
    {
        var handshakeMs = new SampleBuffer(4096);
        var totalMs = new SampleBuffer(4096);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var body = new CountingBodyConsumer();
        try
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref _started) <= MaxConnections)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                attempt.CancelAfter(ConnectionTimeout);
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await using var tls = await _connector.ConnectAsync(attempt.Token).ConfigureAwait(false);
                    var handshake = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                    var (head, offset, count) = await HttpGet.SendAsync(tls, request, buffer, attempt.Token).ConfigureAwait(false);
                    await ReadBodyAsync(tls, head, buffer, offset, count, body, attempt.Token).ConfigureAwait(false);
                    handshakeMs.Add(handshake);
                    totalMs.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                    Interlocked.Increment(ref _completed);
                    Interlocked.Add(ref _snapshotBytes, body.Length);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The window closed mid-connection: neither a success nor an error.
                }
                catch (OperationCanceledException)
                {
                    _errors.Add($"timeout after {ConnectionTimeout.TotalSeconds:0.#} s");
                }
                catch (Exception e) when (e is IOException or InvalidDataException or System.Net.Sockets.SocketException
                    or System.Security.Authentication.AuthenticationException or BenchHttpException)
                {
                    _errors.Add(e);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (handshakeMs, totalMs);
    }

    /// <summary>Reads a snapshot response to its end and checks it is a JPEG.</summary>
    private static async Task ReadBodyAsync(
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
