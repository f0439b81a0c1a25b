using SecureCam.Camera;
using SecureCam.Server.Streaming;
using SecureCam.Server.Tls;
using SecureCam.Telemetry;

namespace SecureCam.Server.Telemetry;

/// <summary>
/// Fills a telemetry record from the live server: counters and one short lock in the frame hub, no I/O, so it
/// never holds up the camera or a stream. Called once per interval on the reporter's own task.
/// </summary>
internal sealed class TelemetrySnapshotSource(
    FrameHub hub,
    ServedMeters served,
    ActiveStreams streams,
    ServerCertificateProvider certificates)
{
    public TelemetrySnapshot Take()
    {
        var camera = hub.GetStatus();
        return new TelemetrySnapshot
        {
            CapturedFps = Math.Round(camera.CapturedFps, 1),
            ServedFps = Math.Round(served.Frames.PerSecond(), 1),
            Viewers = streams.Count,
            BytesServed = served.Bytes.Total,

            // The live certificate: a renewal picked up by the file watcher shows in the next record.
            ServerCertificateNotAfter = certificates.Certificate.NotAfter.ToUniversalTime(),

            // Null: the reporter reads the device certificate it was started with.
            DeviceCertificateNotAfter = null,
        };
    }
}
