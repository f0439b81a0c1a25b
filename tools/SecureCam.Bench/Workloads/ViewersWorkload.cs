using SecureCam.Bench.Http;
using SecureCam.Bench.Sampling;
using SecureCam.Bench.Stats;
using SecureCam.Bench.Tls;

namespace SecureCam.Bench.Workloads;

/// <summary>
/// N concurrent mutual-TLS MJPEG viewers. All connect first (a few handshakes at a time, so the
/// server's accept queue is not the thing measured), run a warm-up, then a measured window in which
/// every frame's arrival is recorded; the server's CPU and memory are sampled over the same window.
/// </summary>
internal sealed class ViewersWorkload
{
    private readonly IReadOnlyList<MutualTlsConnector> _connectors;
    private readonly MutualTlsConnector _connector;
    private readonly ErrorTally _errors = new();
    private volatile bool _recording;

    /// <param name="connectors">one per client identity, all for the same URL; viewers take them in turn</param>
    public ViewersWorkload(IReadOnlyList<MutualTlsConnector> connectors)
    {
        _connectors = connectors.Count > 0 ? connectors : throw new ArgumentException("No connector.", nameof(connectors));
        _connector = connectors[0];
    }

    public required int Viewers { get; init; }

    public required TimeSpan Duration { get; init; }

    public required TimeSpan Warmup { get; init; }

    public required int ConnectConcurrency { get; init; }

    public required TimeSpan ConnectTimeout { get; init; }

    /// <summary>Frame rate the stream is expected to have; only sizes the delay buffers.</summary>
    public int ExpectedFps { get; init; } = 30;

    public async Task<ViewersResult> RunAsync(ServerSamplers servers, CancellationToken cancellationToken)
    {
        var request = HttpGet.Request(_connector.Url.PathAndQuery, _connector.HostHeader, close: false);
        var expectedFrames = (int)Math.Min(1_000_000, ExpectedFps * Duration.TotalSeconds * 1.25) + 16;
        var viewers = Enumerable.Range(0, Viewers)
            .Select(i => new ViewerConnection(_connectors[i % _connectors.Count], request, new ViewerRecorder(() => _recording, NowUnixMs, expectedFrames)))
            .ToArray();

        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = new Task[viewers.Length];
        try
        {
            var connected = await ConnectAllAsync(viewers, runs, stopAll.Token).ConfigureAwait(false);
            await Task.Delay(Warmup, cancellationToken).ConfigureAwait(false);

            var self = SelfCpu.Start();
            var serverStart = servers.SampleNow();
            var windowStart = DateTime.UtcNow;
            _recording = true;
            await Task.Delay(Duration, cancellationToken).ConfigureAwait(false);
            _recording = false;
            var seconds = (DateTime.UtcNow - windowStart).TotalSeconds;
            var serverEnd = servers.SampleNow();
            var clientCpu = self.PercentOfOneCore();

            await stopAll.CancelAsync().ConfigureAwait(false);
            await WhenAllQuietlyAsync(runs).ConfigureAwait(false);
            return Summarize(viewers, connected, seconds, clientCpu, servers.Measure(serverStart, serverEnd, viewers.Sum(v => v.Recorder.Frames)));
        }
        finally
        {
            await stopAll.CancelAsync().ConfigureAwait(false);
            await WhenAllQuietlyAsync(runs).ConfigureAwait(false);
        }
    }

    private async Task<int> ConnectAllAsync(ViewerConnection[] viewers, Task[] runs, CancellationToken stop)
    {
        using var gate = new SemaphoreSlim(ConnectConcurrency);
        var connected = 0;
        var waits = new Task[viewers.Length];
        for (var i = 0; i < viewers.Length; i++)
        {
            await gate.WaitAsync(stop).ConfigureAwait(false);
            var viewer = viewers[i];
            runs[i] = Task.Run(() => RunViewerAsync(viewer, stop), CancellationToken.None);
            waits[i] = viewer.Connected.Task.WaitAsync(ConnectTimeout, stop).ContinueWith(
                t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        Interlocked.Increment(ref connected);
                    }

                    gate.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        await Task.WhenAll(waits).ConfigureAwait(false);
        return connected;
    }

    private async Task RunViewerAsync(ViewerConnection viewer, CancellationToken stop)
    {
        try
        {
            await viewer.RunAsync(stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            _errors.Add(e);
        }
    }

    private ViewersResult Summarize(ViewerConnection[] viewers, int connected, double seconds, double clientCpu, (ServerUsage? Total, IReadOnlyList<ServerUsage> ByProcess) usage)
    {
        var fps = viewers.Select(v => v.Recorder.Frames / seconds).ToArray();
        var delays = SampleBuffer.Merge(viewers.Select(v => v.Recorder.DelaysMs));
        var frames = viewers.Sum(v => v.Recorder.Frames);
        var missed = viewers.Sum(v => v.Recorder.Missed);
        var frameBytes = viewers.Sum(v => v.Recorder.FrameBytes);
        return new ViewersResult(
            _connector.Url.ToString(),
            Viewers,
            connected,
            Math.Round(seconds, 3),
            Percentiles.Summarize(fps),
            frames / seconds,
            viewers.Sum(v => v.BytesRead) / seconds / 1e6,
            frames > 0 ? frameBytes / (double)frames / 1024 : double.NaN,
            Percentiles.Summarize(delays),
            frames,
            missed,
            frames + missed > 0 ? missed * 100.0 / (frames + missed) : 0,
            viewers.Sum(v => v.Recorder.NotJpeg),
            viewers.Sum(v => v.Recorder.WithoutCaptureTime),
            _errors.Total,
            clientCpu,
            usage.Total,
            usage.ByProcess,
            _errors.Top(),
            viewers.Where(v => v.Tls is not null).GroupBy(v => v.Tls!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }

    private static async Task WhenAllQuietlyAsync(Task[] tasks)
    {
        foreach (var task in tasks)
        {
            if (task is null)
            {
                continue;
            }

            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    // Wall clock, because X-Capture-Time is wall-clock unix milliseconds taken by the server on this machine.
    private static double NowUnixMs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;
}
