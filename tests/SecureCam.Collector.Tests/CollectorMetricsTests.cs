using System.Globalization;
using SecureCam.Telemetry;
using SecureCam.TestSupport;

namespace SecureCam.Collector.Tests;

/// <summary>The collector as the fan-in: the records of many cameras become metrics labelled by camera, on its own /metrics behind mutual TLS.</summary>
public sealed class CollectorMetricsTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly Certificates _certs = new();

    [SkippableFact]
    public async Task Two_cameras_show_apart_on_metrics_and_only_a_monitor_may_read_them()
    {
        var curl = Peer.Require("curl");
        var port = FreePort.Udp();
        var metricsPort = FreePort.Tcp();
        await using var collector = await CollectorProcess.StartAsync(
            "--listen", $"127.0.0.1:{port}", "--cert", _certs.Collector.Cert, "--key", _certs.Collector.Key,
            "--ca", _certs.CaFile, "--out", _certs.OutFile, "--metrics-listen", $"127.0.0.1:{metricsPort}");
        var trust = CertificateFiles.LoadCertificates(_certs.CaFile);
        var verified = new ClientSettings
        {
            Mode = TelemetryMode.Verified,
            TrustAnchor = trust,
            ExpectedName = "127.0.0.1",
            DeviceIdentity = DtlsIdentity.Load(_certs.Camera.Cert, _certs.Camera.Key),
            HandshakeTimeout = Generous,
        };

        // The second camera shows no device certificate: it is known only by the id its records claim.
        var unverified = verified with { DeviceIdentity = null };
        await SendAsync(port, verified, new TelemetryRecord { CameraId = "cam-1", Time = DateTimeOffset.UtcNow, Sequence = 1, Viewers = 2, CapturedFps = 15, DeviceCertificateDaysLeft = 300 });
        await SendAsync(port, unverified, new TelemetryRecord { CameraId = "cam-2", Time = DateTimeOffset.UtcNow, Sequence = 1, Viewers = 5, CapturedFps = 30 });

        var url = $"https://127.0.0.1:{metricsPort}/metrics";
        var metrics = await CurlAsync(curl, _certs.Monitor, url);
        Assert.True(metrics.ExitCode == 0, metrics.ToString());
        var text = metrics.StandardOutput;
        Assert.Equal(2, Sample(text, "securecam_camera_viewers", "cam-1", "true"));
        Assert.Equal(5, Sample(text, "securecam_camera_viewers", "cam-2", "false"));
        Assert.Equal(15, Sample(text, "securecam_camera_captured_fps", "cam-1", "true"));
        Assert.Equal(30, Sample(text, "securecam_camera_captured_fps", "cam-2", "false"));
        Assert.Equal(1, Sample(text, "securecam_camera_records_total", "cam-1", "true"));
        Assert.Equal(1, Sample(text, "securecam_camera_records_total", "cam-2", "false"));
        Assert.Null(Sample(text, "securecam_camera_viewers", "cam-1", "false"));
        Assert.Null(Sample(text, "securecam_camera_viewers", "cam-2", "true"));
        Assert.Contains("securecam_collector_sessions_total{otel_scope_name=\"SecureCam.Collector\"} 2", text, StringComparison.Ordinal);

        var asViewer = await CurlAsync(curl, _certs.Viewer, url, "-o", "/dev/null", "-w", "%{http_code}");
        Assert.Equal("403", asViewer.StandardOutput.Trim());

        // A device certificate carries no role: no scraper, refused in the handshake.
        var asCamera = await CurlAsync(curl, _certs.Camera, url);
        Assert.NotEqual(0, asCamera.ExitCode);
        Assert.Equal(0, await collector.InterruptAsync(Generous));
    }

    [Fact]
    public async Task Camera_metrics_are_pushed_over_otlp()
    {
        // A plain-HTTP OTLP receiver: what is checked here is the collector's export, not TLS (the server's test does that).
        var otlpPort = FreePort.Tcp();
        using var receiver = new System.Net.HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{otlpPort}/v1/metrics/");
        receiver.Start();
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await receiver.GetContextAsync().WaitAsync(stop.Token);
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                bodies.Enqueue(System.Text.Encoding.UTF8.GetString(body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var port = FreePort.Udp();
        await using var collector = await CollectorProcess.StartAsync(
            "--listen", $"127.0.0.1:{port}", "--cert", _certs.Collector.Cert, "--key", _certs.Collector.Key,
            "--ca", _certs.CaFile, "--out", _certs.OutFile, "--otlp-endpoint", $"http://127.0.0.1:{otlpPort}/v1/metrics");
        var settings = new ClientSettings
        {
            Mode = TelemetryMode.Verified,
            TrustAnchor = CertificateFiles.LoadCertificates(_certs.CaFile),
            ExpectedName = "127.0.0.1",
            DeviceIdentity = DtlsIdentity.Load(_certs.Camera.Cert, _certs.Camera.Key),
            HandshakeTimeout = Generous,
        };
        await SendAsync(port, settings, new TelemetryRecord { CameraId = "cam-1", Time = DateTimeOffset.UtcNow, Sequence = 1, Viewers = 3 });

        // The collector pushes every 15 s and once more when it stops.
        Assert.Equal(0, await collector.InterruptAsync(Generous));
        await Eventually.TrueAsync(() => bodies.Any(b => b.Contains("securecam.camera.viewers", StringComparison.Ordinal)), Generous);
        var export = bodies.First(b => b.Contains("securecam.camera.viewers", StringComparison.Ordinal));
        Assert.Contains("cam-1", export, StringComparison.Ordinal);
        Assert.Contains("securecam-collector", export, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving);
    }

    public void Dispose() => _certs.Dispose();

    /// <summary>The value of one sample of <paramref name="metric"/> for a camera, or null when there is none.</summary>
    private static double? Sample(string exposition, string metric, string camera, string verified)
    {
        var line = exposition.Split('\n').SingleOrDefault(l =>
            l.StartsWith(metric + "{", StringComparison.Ordinal)
            && l.Contains($"camera=\"{camera}\"", StringComparison.Ordinal)
            && l.Contains($"verified=\"{verified}\"", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private Task<ProcessResult> CurlAsync(string curl, (string Cert, string Key) client, string url, params string[] extra) =>
        ExternalProcess.RunAsync(curl, ["-sS", "--max-time", "10", "--cacert", _certs.CaFile, "--cert", client.Cert, "--key", client.Key, .. extra, url], timeout: Generous);

    private static async Task SendAsync(int port, ClientSettings settings, TelemetryRecord record)
    {
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", port, settings, CancellationToken.None);
        var acknowledged = await Task.Run(() =>
        {
            connection.Send(TelemetryJson.Serialize(record));
            var buffer = new byte[DtlsPolicy.ReceiveLimit];
            var deadline = DateTime.UtcNow + Generous;
            while (DateTime.UtcNow < deadline)
            {
                var received = connection.Receive(buffer, 100);
                if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) == record.Sequence)
                {
                    return true;
                }
            }

            return false;
        });
        Assert.True(acknowledged, "no acknowledgement for " + record.CameraId);
    }
}
