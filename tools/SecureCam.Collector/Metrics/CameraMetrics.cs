using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SecureCam.Telemetry;

namespace SecureCam.Collector.Metrics;

/// <summary>
/// Turns the records the collector receives into metrics labelled by camera: the device certificate's name and
/// verified="true", or, for a camera that showed no certificate from our CA, the id its records claim and
/// verified="false" (so a camera cannot pass itself off as a verified one). Each camera's newest record is kept;
/// the gauges read it at collection time.
/// </summary>
internal sealed class CameraMetrics : IDisposable
{
    public const string MeterName = "SecureCam.Collector";

    /// <summary>Cameras kept at once: far above what one owner runs; past it the longest-silent camera is forgotten.</summary>
    public const int MaxCameras = 1024;

    /// <summary>A camera id an unverified record claims is cut to this length: it is free text from the network.</summary>
    private const int MaxNameLength = 64;

    private readonly ConcurrentDictionary<CameraKey, CameraState> _cameras = new();
    private readonly Counter<long> _records;
    private readonly TimeProvider _time;

    public CameraMetrics(TimeProvider time)
    {
        _time = time;
        Meter = new Meter(MeterName);
        _records = Meter.CreateCounter<long>("securecam.camera.records", "{record}", "Telemetry records received, by camera");
        Meter.CreateObservableGauge("securecam.camera.last_record", () => Each(s => s.ReceivedAt.ToUnixTimeMilliseconds() / 1000.0), "s", "Unix time of the camera's newest record");
        Meter.CreateObservableGauge("securecam.camera.captured_fps", () => Each(s => s.Record.CapturedFps), null, "Frames per second the camera captures");
        Meter.CreateObservableGauge("securecam.camera.served_fps", () => Each(s => s.Record.ServedFps), null, "Frames per second the camera sends to its viewers");
        Meter.CreateObservableGauge("securecam.camera.viewers", () => Each(s => s.Record.Viewers), "{viewer}", "The camera's open streams");
        Meter.CreateObservableCounter("securecam.camera.bytes_served", () => Each(s => s.Record.BytesServed), "By", "MJPEG bytes the camera has sent since it started");
        Meter.CreateObservableGauge("securecam.camera.cpu_temperature", () => Each(s => s.Record.CpuTemperatureCelsius), "Cel", "The camera's CPU temperature");
        Meter.CreateObservableGauge("securecam.camera.uptime", () => Each(s => s.Record.UptimeSeconds), "s", "Seconds since the camera's server started");
        Meter.CreateObservableGauge("securecam.camera.certificate.expiry", CertificateDays, "d", "Days until the camera's server (kind=server) or device (kind=device) certificate expires");
    }

    public Meter Meter { get; }

    /// <summary>Collector-wide counters (sessions, failed handshakes, malformed records, ignored datagrams).</summary>
    public void Observe(TelemetryCollector collector)
    {
        Meter.CreateObservableCounter("securecam.collector.sessions", () => collector.Counters.SessionsEstablished, "{session}", "DTLS sessions established");
        Meter.CreateObservableCounter("securecam.collector.handshake_failures", () => collector.Counters.HandshakesFailed, "{handshake}", "DTLS handshakes that failed or were refused");
        Meter.CreateObservableCounter("securecam.collector.malformed_records", () => collector.Counters.MalformedRecords, "{record}", "Records that were not telemetry JSON");
        Meter.CreateObservableCounter("securecam.collector.ignored_datagrams", () => collector.Counters.IgnoredDatagrams, "{datagram}", "Datagrams dropped before a session (not a ClientHello, or over a limit)");
        Meter.CreateObservableUpDownCounter("securecam.collector.active_sessions", () => collector.Counters.ActiveSessions, "{session}", "DTLS sessions open now");
    }

    /// <summary>Called by the collector for every record; never throws (it runs on a session's thread).</summary>
    public void OnRecord(ReceivedRecord received)
    {
        if (received.Parse() is not { } record)
        {
            return;
        }

        var name = received.Verified ? received.Identity : record.CameraId;
        var key = new CameraKey(name.Length > MaxNameLength ? name[..MaxNameLength] : name, received.Verified);
        if (!_cameras.ContainsKey(key) && _cameras.Count >= MaxCameras)
        {
            var oldest = _cameras.MinBy(c => c.Value.ReceivedAt).Key;
            _cameras.TryRemove(oldest, out _);
        }

        _cameras[key] = new CameraState(record, _time.GetUtcNow());
        _records.Add(1, key.Tags);
    }

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<double>> Each(Func<CameraState, double?> read)
    {
        foreach (var (key, state) in _cameras)
        {
            if (read(state) is { } value)
            {
                yield return new Measurement<double>(value, key.Tags);
            }
        }
    }

    private IEnumerable<Measurement<double>> CertificateDays()
    {
        foreach (var (key, state) in _cameras)
        {
            if (state.Record.ServerCertificateDaysLeft is { } server)
            {
                yield return new Measurement<double>(server, [.. key.Tags, new("kind", "server")]);
            }

            if (state.Record.DeviceCertificateDaysLeft is { } device)
            {
                yield return new Measurement<double>(device, [.. key.Tags, new("kind", "device")]);
            }
        }
    }

    private readonly record struct CameraKey(string Camera, bool Verified)
    {
        public KeyValuePair<string, object?>[] Tags => [new("camera", Camera), new("verified", Verified ? "true" : "false")];
    }

    private sealed record CameraState(TelemetryRecord Record, DateTimeOffset ReceivedAt);
}
