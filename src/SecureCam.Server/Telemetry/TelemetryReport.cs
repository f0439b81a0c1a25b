using SecureCam.Telemetry;

namespace SecureCam.Server.Telemetry;

/// <summary>
/// The `telemetry` object of /api/status. <see cref="Summary"/> is the line the viewer page shows, so the page and
/// the API never disagree about whether the collector was verified.
/// </summary>
internal sealed record TelemetryReport(
    bool Enabled,
    string Mode,
    string? Collector,
    bool Connected,
    string? Peer,
    bool PeerVerified,
    string? PeerFingerprint,
    long Sent,
    long Acknowledged,
    long Dropped,
    int Queued,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? ConnectedSince,
    string Summary)
{
    public static TelemetryReport From(TelemetryState state) => new(
        state.Enabled,
        state.Mode,
        state.Collector,
        state.Connected,
        state.Peer,
        state.PeerVerified,
        state.PeerFingerprint,
        state.Sent,
        state.Acknowledged,
        state.Dropped,
        state.Queued,
        state.LastError,
        state.LastErrorAt,
        state.ConnectedSince,
        Summarize(state));

    /// <summary>One line a person reads: what was verified, in words that cannot be mistaken for each other.</summary>
    public static string Summarize(TelemetryState state)
    {
        if (!state.Enabled)
        {
            return "off";
        }

        if (state.Mode == TelemetryModeNames.EncryptOnly)
        {
            var seen = state.PeerFingerprint is null ? "no collector answered yet" : $"fingerprint {state.PeerFingerprint}";
            return $"encrypted, collector NOT verified ({seen})";
        }

        if (state.PeerVerified && state.Peer is not null)
        {
            return state.Connected ? $"verified collector {state.Peer}" : $"verified collector {state.Peer}, not connected";
        }

        return $"verified mode, no verified collector yet at {state.Collector}";
    }
}
