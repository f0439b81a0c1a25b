namespace SecureCam.Telemetry;

/// <summary>What a collector has seen so far.</summary>
/// <param name="HelloVerifyRequests">ClientHellos without our cookie, answered with a HelloVerifyRequest and forgotten.</param>
/// <param name="PendingHandshakes">Sessions now in their handshake (each came back with a valid cookie).</param>
public sealed record CollectorCounters(
    long SessionsEstablished,
    long HandshakesFailed,
    long Records,
    long MalformedRecords,
    long IgnoredDatagrams,
    long HelloVerifyRequests,
    int PendingHandshakes,
    int ActiveSessions);
