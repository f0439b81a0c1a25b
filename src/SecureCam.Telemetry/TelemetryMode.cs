namespace SecureCam.Telemetry;

/// <summary>How much the camera checks the collector it sends telemetry to.</summary>
public enum TelemetryMode
{
    /// <summary>
    /// The channel is private against an eavesdropper, but whoever answered is not checked: an active man in
    /// the middle is not detected. What a device with no CA store gets.
    /// </summary>
    EncryptOnly,

    /// <summary>The collector's certificate must chain to the local CA and carry the expected name.</summary>
    Verified,
}

/// <summary>The spelling of the modes on the command line and in configuration.</summary>
public static class TelemetryModeNames
{
    public const string EncryptOnly = "encrypt-only";
    public const string Verified = "verified";

    public static string ToName(this TelemetryMode mode) => mode == TelemetryMode.Verified ? Verified : EncryptOnly;

    /// <summary>Parses "encrypt-only" or "verified" (case-insensitive); null when it is neither.</summary>
    public static TelemetryMode? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        EncryptOnly or "encryptonly" => TelemetryMode.EncryptOnly,
        Verified => TelemetryMode.Verified,
        _ => null,
    };
}
