using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Telemetry;

/// <summary>The wire format: records camera → collector, acknowledgements collector → camera.</summary>
public static class TelemetryJson
{
    public static byte[] Serialize(TelemetryRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, TelemetryJsonContext.Default.TelemetryRecord);

    /// <summary>The acknowledgement of record <paramref name="sequence"/>: <c>{"ack":N}</c>.</summary>
    // The newline makes line-oriented peers (openssl s_client) print it at once.
    public static byte[] Acknowledgement(long sequence) => System.Text.Encoding.UTF8.GetBytes($"{{\"ack\":{sequence}}}\n");

    /// <summary>The sequence number in an acknowledgement, or null when the bytes are not one.</summary>
    public static long? ReadAcknowledgement(ReadOnlySpan<byte> datagram)
    {
        try
        {
            var reader = new Utf8JsonReader(datagram);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("ack", out var ack)
                && ack.TryGetInt64(out var sequence)
                ? sequence
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TelemetryRecord))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext
{
}
