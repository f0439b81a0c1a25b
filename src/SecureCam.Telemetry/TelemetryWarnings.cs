namespace SecureCam.Telemetry;

/// <summary>The words we use to make encryption-only visible.</summary>
public static class TelemetryWarnings
{
    public const string EncryptOnly =
        "warning: telemetry mode encrypt-only: the channel is private against eavesdroppers, but the collector is NOT verified; an active man in the middle would not be detected. Use verified mode with the local CA.";
}
