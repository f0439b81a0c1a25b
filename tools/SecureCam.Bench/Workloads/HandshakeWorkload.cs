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

    private readonly IReadOnlyList<MutualTlsConnector> _connectors;
    private readonly MutualTlsConnector _connector;
    private readonly ErrorTally _errors = new();
    private long _started;
    private long _completed;
    private long _snapshotBytes;

    /// <param name="connectors">one per client identity, all for the same URL; connections take them in turn</param>
    public HandshakeWorkload(IReadOnlyList<MutualTlsConnector> connectors)
    {
        _connectors = connectors.Count > 0 ? connectors : throw new ArgumentException("No connector.", nameof(connectors));
        _connector = connectors[0];
    }

    public required int Concurrency { get; init; }

    public required TimeSpan Duration { get; init; }

    public required long MaxConnections { get; init; }

    public required TimeSpan ConnectionTimeout { get; init; }

    public async Task<HandshakeResult> RunAsync(ServerSamplers servers, CancellationToken cancellationToken)
    {
        var request = HttpGet.Request(_connector.Url.PathAndQuery, _connector.HostHeader, close: true);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(Duration);

        var self = SelfCpu.Start();
        var serverStart = servers.SampleNow();
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Concurrency)
            .Select(_ => Task.Run(() => WorkerAsync(request, window.Token), CancellationToken.None))
            .ToArray();
        var perWorker = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var serverEnd = servers.SampleNow();
        cancellationToken.ThrowIfCancellationRequested();

        var handshakes = SampleBuffer.Merge(perWorker.Select(w => w.Handshake));
        var totals = SampleBuffer.Merge(perWorker.Select(w => w.Total));
        var completed = Interlocked.Read(ref _completed);
        var usage = servers.Measure(serverStart, serverEnd, completed);
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
            usage.Total,
            usage.ByProcess,
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
            long number;
            while (!stop.IsCancellationRequested && (number = Interlocked.Increment(ref _started)) <= MaxConnections)
            {
                var connector = _connectors[(int)(number % _connectors.Count)];
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                attempt.CancelAfter(ConnectionTimeout);
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await using var tls = await connector.ConnectAsync(attempt.Token).ConfigureAwait(false);
                    var handshake = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                    var (head, offset, count) = await HttpGet.SendAsync(tls, request, buffer, attempt.Token).ConfigureAwait(false);
                    await SnapshotResponse.ReadBodyAsync(tls, head, buffer, offset, count, body, attempt.Token).ConfigureAwait(false);
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
}
