namespace SecureCam.Telemetry;

/// <summary>
/// What the server knows at one moment, handed to <see cref="TelemetryReporter"/> by a callback. The callback is
/// called once per interval on the reporter's own task and must be cheap (read counters, no I/O).
/// </summary>
public sealed record TelemetrySnapshot
{
    public double? CapturedFps { get; init; }

    public double? ServedFps { get; init; }

    public int? Viewers { get; init; }

    public long? BytesServed { get; init; }

    /// <summary>When the server's TLS certificate expires, if known.</summary>
    public DateTime? ServerCertificateNotAfter { get; init; }

    /// <summary>When the device certificate expires; the reporter reads it from the device certificate file when null.</summary>
    public DateTime? DeviceCertificateNotAfter { get; init; }
}
