namespace SecureCam.Telemetry;

/// <summary>How much a reporter message matters; the host maps it to its own logger.</summary>
public enum TelemetryLogLevel
{
    Information,
    Warning,
}
