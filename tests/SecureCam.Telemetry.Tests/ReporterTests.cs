using System.Collections.Concurrent;
using System.Diagnostics;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>The reporter the server hosts: never blocks, bounded while the collector is down, resumes when it returns.</summary>
public sealed class ReporterTests : IDisposable
{
    private readonly TelemetryCertificates _pki = new();
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task Collector_down_keeps_the_queue_bounded_and_delivery_resumes_when_it_returns()
    {
        var port = FreePort.Udp();
        var snapshots = 0;
        var options = Options(port, TelemetryModeNames.Verified);
        options.QueueCapacity = 8;
        var reporter = new TelemetryReporter(options, () =>
        {
            Interlocked.Increment(ref snapshots);
            return new TelemetrySnapshot { Viewers = 2, CapturedFps = 15, ServedFps = 14.5, BytesServed = 1234 };
        }, Log);
        using var stop = new CancellationTokenSource();

        var run = reporter.RunAsync(stop.Token);

        // Nothing listens: records pile up to the bound, the oldest are dropped and counted.
        await Eventually.TrueAsync(() => reporter.State.Dropped >= 10, TimeSpan.FromSeconds(30), () => reporter.State.ToString());
        var down = reporter.State;
        Assert.False(down.Connected);
        Assert.InRange(down.Queued, 1, 8);
        Assert.NotNull(down.LastError);
        Assert.False(run.IsCompleted);

        // Reading the state is what the web server does per request: it must be immediate.
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            _ = reporter.State;
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"1000 state reads took {watch.Elapsed}");

        await using (var collector = CollectorHost.Start(_pki, requireClientCert: true, port: port))
        {
            await Eventually.TrueAsync(() => reporter.State.Acknowledged >= 10, TimeSpan.FromSeconds(60), () => reporter.State + "\n" + string.Join("\n", _log));
            var up = reporter.State;
            Assert.True(up.Connected);
            Assert.True(up.PeerVerified);
            Assert.Equal("127.0.0.1", up.Peer);
            Assert.Equal(_pki.Collector.Fingerprint, up.PeerFingerprint);
            Assert.Contains(collector.Output.Lines, l => l.Contains("\"camera\":\"cam-1\"", StringComparison.Ordinal) && l.Contains("\"viewers\":2", StringComparison.Ordinal));
        }

        // The collector stopped: the reporter notices and reconnects in the background.
        await Eventually.TrueAsync(() => !reporter.State.Connected, TimeSpan.FromSeconds(60), () => reporter.State.ToString());
        Assert.True(snapshots > 20, $"the producer kept its interval while the sender waited ({snapshots} snapshots)");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Encrypt_only_warns_at_start_and_shows_peer_not_verified_with_the_fingerprint()
    {
        await using var rogue = CollectorHost.Start(_pki, rogue: true);
        var reporter = new TelemetryReporter(Options(rogue.Port, TelemetryModeNames.EncryptOnly), () => new TelemetrySnapshot(), Log);
        using var stop = new CancellationTokenSource();

        var run = reporter.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => reporter.State.Acknowledged >= 1, TimeSpan.FromSeconds(30), () => reporter.State.ToString());
        var state = reporter.State;
        Assert.Equal("encrypt-only", state.Mode);
        Assert.Equal("peer not verified", state.Peer);
        Assert.False(state.PeerVerified);
        Assert.Equal(_pki.RogueCollector.Fingerprint, state.PeerFingerprint);
        Assert.Contains(_log, l => l.StartsWith("Warning: warning: telemetry mode encrypt-only", StringComparison.Ordinal));
        Assert.Contains(_log, l => l.Contains("peer not verified", StringComparison.Ordinal));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Reconnects_wait_1_2_4_seconds_up_to_the_cap_plus_a_quarter_second_of_jitter_on_the_reporters_clock()
    {
        var clock = new ObservedFakeClock(DateTimeOffset.UnixEpoch);
        var options = Options(FreePort.Udp(), TelemetryModeNames.Verified);
        options.MaxBackoff = TimeSpan.FromSeconds(4);
        var reporter = new TelemetryReporter(options, () => new TelemetrySnapshot(), Log, clock);
        using var stop = new CancellationTokenSource();
        var run = reporter.RunAsync(stop.Token);

        // Nothing listens: every try fails at once, and each wait is a timer on the fake clock.
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            waits.Add(await clock.AdvanceToNextWaitAsync(i, TimeSpan.FromSeconds(30), () => reporter.State + "\n" + string.Join("\n", _log)));
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        int[] expected = [1, 2, 4, 4, 4];
        Assert.All(expected.Zip(waits), pair => Assert.InRange(pair.Second, TimeSpan.FromSeconds(pair.First), TimeSpan.FromSeconds(pair.First) + TimeSpan.FromMilliseconds(250)));
        Assert.False(reporter.State.Connected);
        Assert.NotNull(reporter.State.LastError);
        Assert.True(reporter.State.LastErrorAt > DateTimeOffset.UnixEpoch, "the error is stamped with the reporter's clock");
        Assert.True(_log.Count(l => l.StartsWith("Warning: telemetry: ", StringComparison.Ordinal)) >= 5);

        Assert.Equal(TimeSpan.FromSeconds(1), TelemetryReporter.ReconnectDelay(0, TimeSpan.FromSeconds(60), 0));
        Assert.Equal(TimeSpan.FromSeconds(60), TelemetryReporter.ReconnectDelay(6, TimeSpan.FromSeconds(60), 0));
        Assert.Equal(TimeSpan.FromSeconds(60.25), TelemetryReporter.ReconnectDelay(int.MaxValue, TimeSpan.FromSeconds(60), 1));
    }

    [Fact]
    public void Bad_settings_stop_at_start_with_the_key_named()
    {
        var options = Options(5684, TelemetryModeNames.Verified);
        options.CaFile = null;
        var missingCa = Assert.Throws<TelemetryConfigurationException>(() => new TelemetryReporter(options, () => new TelemetrySnapshot()));
        Assert.StartsWith("Telemetry:CaFile", missingCa.Message, StringComparison.Ordinal);

        options = Options(5684, "sometimes");
        Assert.StartsWith("Telemetry:Mode", Assert.Throws<TelemetryConfigurationException>(() => new TelemetryReporter(options, () => new TelemetrySnapshot())).Message, StringComparison.Ordinal);

        options = Options(5684, TelemetryModeNames.Verified);
        options.Collector = "no-port";
        Assert.StartsWith("Telemetry:Collector", Assert.Throws<TelemetryConfigurationException>(() => new TelemetryReporter(options, () => new TelemetrySnapshot())).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _pki.Dispose();

    private TelemetryOptions Options(int port, string mode) => new()
    {
        Enabled = true,
        Collector = $"127.0.0.1:{port}",
        Mode = mode,
        CaFile = _pki.CaFile,
        DeviceCertFile = _pki.CameraFiles.Cert,
        DeviceKeyFile = _pki.CameraFiles.Key,
        Interval = TimeSpan.FromMilliseconds(100),
        AckTimeout = TimeSpan.FromSeconds(3),
        MaxBackoff = TimeSpan.FromSeconds(1),
    };

    private void Log(TelemetryLogLevel level, string message) => _log.Enqueue($"{level}: {message}");
}
