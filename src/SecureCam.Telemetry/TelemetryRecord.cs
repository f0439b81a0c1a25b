using System.Text.Json.Serialization;

namespace SecureCam.Telemetry;

/// <summary>One telemetry record: one JSON object in one datagram.</summary>
public sealed record TelemetryRecord
{
    [JsonPropertyName("camera")]
    public required string CameraId { get; init; }

    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>1, 2, 3, … per reporter; the collector acknowledges by it.</summary>
    [JsonPropertyName("seq")]
    public required long Sequence { get; init; }

    [JsonPropertyName("capturedFps")]
    public double? CapturedFps { get; init; }

    [JsonPropertyName("servedFps")]
    public double? ServedFps { get; init; }

    [JsonPropertyName("viewers")]
    public int? Viewers { get; init; }

    [JsonPropertyName("bytesServed")]
    public long? BytesServed { get; init; }

    /// <summary>Degrees Celsius from /sys/class/thermal; absent where the box has no thermal zone.</summary>
    [JsonPropertyName("cpuTempC")]
    public double? CpuTemperatureCelsius { get; init; }

    [JsonPropertyName("uptimeS")]
    public long? UptimeSeconds { get; init; }

    [JsonPropertyName("serverCertDaysLeft")]
    public int? ServerCertificateDaysLeft { get; init; }

    [JsonPropertyName("deviceCertDaysLeft")]
    public int? DeviceCertificateDaysLeft { get; init; }

    /// <summary>Free text (used by `securecam telemetry test --message`).</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
