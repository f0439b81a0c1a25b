using System.Diagnostics;
using SecureCam.Camera;
using SecureCam.Server.Authentication;
using SecureCam.Server.Streaming;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Endpoints;

/// <summary>
/// GET /api/status: camera state, captured and served fps, viewers, uptime, server-certificate expiry, CRL age,
/// the ACME certificate's state when ACME is on, telemetry (mode, peer, counters), and the being-watched light. Only admins see the
/// camera's description and last error (credentials masked even then): a camera command can hold a password,
/// and any guest may hold a viewer certificate. A viewer sees the kind of camera and its state.
/// </summary>
internal sealed class StatusEndpoint(
    FrameHub hub,
    ActiveStreams streams,
    ServedMeters served,
    ServerCertificateProvider certificates,
    RevocationMonitor revocation,
    TimeProvider time,
    Acme.AcmeStatusSource? acme = null,
    Telemetry.TelemetryService? telemetry = null,
    Indicator.BeingWatchedLight? light = null)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public StatusReport Build(ClientIdentity you)
    {
        var now = time.GetUtcNow();
        var camera = hub.GetStatus();
        var state = camera.IsCapturing
            ? (camera.LastFrameAt is { } at && now - at < TimeSpan.FromSeconds(3) ? "streaming" : "starting")
            : (camera.LastError is not null && camera.LastErrorAt is { } errorAt && now - errorAt < TimeSpan.FromMinutes(1) ? "error" : "idle");
        var certificate = certificates.Certificate;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var crl = revocation.Current;
        var admin = you.Role == Pki.ClientRole.Admin;
        return new StatusReport(
            new CameraReport(
                state,
                camera.SourceKind,
                admin ? Camera.CredentialRedaction.Redact(camera.SourceDescription) : null,
                camera.Width,
                camera.Height,
                Math.Round(camera.CapturedFps, 1),
                camera.FramesCaptured,
                camera.FramesSkipped,
                camera.LastSequence,
                camera.LastFrameAt,
                admin ? Camera.CredentialRedaction.Redact(camera.LastError) : null,
                admin ? camera.LastErrorAt : null),
            Math.Round(served.Frames.PerSecond(), 1),
            streams.Count,
            Math.Round(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1),
            new CertificateReport(certificate.Subject, certificate.SerialNumber, notAfter, Math.Round((notAfter - now).TotalDays, 1)),
            crl is null
                ? new CrlReport(false, null, null, null, null)
                : new CrlReport(
                    true,
                    crl.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    crl.ThisUpdate,
                    crl.NextUpdate,
                    Math.Round((now - crl.ThisUpdate).TotalSeconds, 0)),
            new ViewerReport(you.Name, you.RoleName, you.Serial, you.NotAfter),
            acme?.Build(),
            telemetry is null ? null : Telemetry.TelemetryReport.From(telemetry.State),
            light?.Report());
    }
}
