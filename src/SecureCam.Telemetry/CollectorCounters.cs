namespace SecureCam.Telemetry;

/// <summary>What a collector has seen so far.</summary>
public sealed record CollectorCounters(
    long SessionsEstablished,
    long HandshakesFailed,
    long Records,
    long MalformedRecords,
    long IgnoredDatagrams,
    int ActiveSessions);
