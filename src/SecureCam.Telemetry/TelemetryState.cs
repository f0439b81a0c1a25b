namespace SecureCam.Telemetry;

/// <summary>The reporter's state for `/api/status`: never hides that the peer was not verified.</summary>
public sealed record TelemetryState
{
    public bool Enabled { get; init; }

    /// <summary>"encrypt-only" or "verified".</summary>
    public string Mode { get; init; } = "";

    public string? Collector { get; init; }

    public bool Connected { get; init; }

    /// <summary>The verified name of the collector, or "peer not verified"; null before the first handshake.</summary>
    public string? Peer { get; init; }

    public bool PeerVerified { get; init; }

    /// <summary>SHA-256 of the certificate the collector showed.</summary>
    public string? PeerFingerprint { get; init; }

    public long Sent { get; init; }

    public long Acknowledged { get; init; }

    /// <summary>Records lost: dropped oldest from the full queue, or too large for one datagram.</summary>
    public long Dropped { get; init; }

    public int Queued { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public DateTimeOffset? ConnectedSince { get; init; }
}
