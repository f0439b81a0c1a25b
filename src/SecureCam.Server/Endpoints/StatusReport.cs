namespace SecureCam.Server.Endpoints;

/// <summary>The JSON of /api/status.</summary>
internal sealed record StatusReport(
    CameraReport Camera,
    double ServedFps,
    int Viewers,
    double UptimeSeconds,
    CertificateReport ServerCertificate,
    CrlReport Crl,
    ViewerReport You,
    Acme.AcmeReport? Acme = null,
    Telemetry.TelemetryReport? Telemetry = null,
    Indicator.IndicatorReport? Indicator = null);

internal sealed record CameraReport(
    string State,
    string Source,
    string? Description,
    int Width,
    int Height,
    double CapturedFps,
    long FramesCaptured,
    long FramesSkipped,
    long LastSequence,
    DateTimeOffset? LastFrameAt,
    string? LastError,
    DateTimeOffset? LastErrorAt);

internal sealed record CertificateReport(string Subject, string Serial, DateTimeOffset NotAfter, double DaysLeft);

internal sealed record CrlReport(bool Present, string? Number, DateTimeOffset? ThisUpdate, DateTimeOffset? NextUpdate, double? AgeSeconds);

internal sealed record ViewerReport(string Name, string Role, string Serial, DateTimeOffset NotAfter);
