using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecureCam.Telemetry;

/// <summary>
/// A record as a collector received it, for observers such as the collector's metrics: who sent it and whether
/// that was proven by a device certificate, and what it said.
/// </summary>
/// <param name="Identity">The device certificate's common name when <paramref name="Verified"/>, else "unverified".</param>
/// <param name="Verified">True when the camera showed a device certificate that chains to the collector's CA.</param>
/// <param name="Record">The record as received (unknown fields kept).</param>
public sealed record ReceivedRecord(string Identity, bool Verified, JsonObject Record)
{
    /// <summary>The record's known fields, or null when it lacks a required one or a value has the wrong type.</summary>
    public TelemetryRecord? Parse()
    {
        try
        {
            return Record.Deserialize(TelemetryJsonContext.Default.TelemetryRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
