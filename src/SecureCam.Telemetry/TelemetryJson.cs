using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SecureCam.Telemetry;

/// <summary>The wire format: records camera → collector, acknowledgements collector → camera.</summary>
public static class TelemetryJson
{
    /// <summary>
    /// Largest record the collector reads. Ours fit one datagram (1452 bytes); a DTLS record may carry 16 KB, which a
    /// hostile camera would use to make every output line large.
    /// </summary>
    public const int MaxRecordBytes = 2048;

    /// <summary>Nesting the collector accepts: a record is one flat object; room for one level of grouping.</summary>
    public const int MaxDepth = 3;

    /// <summary>Property names in one record, all levels together; ours has 13.</summary>
    public const int MaxProperties = 64;

    // Duplicate names refused: a JsonObject with a repeated key throws when it is first read, not when parsed.
    private static readonly JsonDocumentOptions RecordParsing = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// Reads one record as the collector receives it: a JSON object within the size, depth and property limits, with
    /// no repeated property name and an integer "seq". Never throws: null, and <paramref name="problem"/> says why.
    /// </summary>
    public static JsonObject? ReadRecord(ReadOnlySpan<byte> data, out string? problem)
    {
        if (data.Length > MaxRecordBytes)
        {
            problem = $"{data.Length} bytes, over the {MaxRecordBytes}-byte limit";
            return null;
        }

        // The parser checks UTF-8 only where it must; an invalid sequence inside a string would throw later, on output.
        if (!System.Text.Unicode.Utf8.IsValid(data))
        {
            problem = "not valid UTF-8";
            return null;
        }

        JsonNode? node;
        int properties;
        try
        {
            node = JsonNode.Parse(data, documentOptions: RecordParsing);
            properties = CountProperties(node);
        }
        catch (JsonException e)
        {
            problem = "not JSON within limits: " + e.Message;
            return null;
        }

        if (node is not JsonObject record)
        {
            problem = "not a JSON object";
            return null;
        }

        if (properties > MaxProperties)
        {
            problem = $"{properties} properties, over the limit of {MaxProperties}";
            return null;
        }

        if (record["seq"] is not JsonValue seq || !seq.TryGetValue(out long sequence) || sequence < 0)
        {
            problem = "no non-negative integer \"seq\"";
            return null;
        }

        problem = null;
        return record;
    }

    private static int CountProperties(JsonNode? node) => node switch
    {
        JsonObject o => o.Count + o.Sum(p => CountProperties(p.Value)),
        JsonArray a => a.Sum(CountProperties),
        _ => 0,
    };

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
                && ack.ValueKind == JsonValueKind.Number
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
