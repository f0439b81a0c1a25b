namespace SecureCam.Telemetry;

/// <summary>What a collector has seen so far.</summary>
/// <param name="HelloVerifyRequests">ClientHellos without our cookie, answered with a HelloVerifyRequest and forgotten.</param>
/// <param name="PendingHandshakes">Sessions now in their handshake (each came back with a valid cookie).</param>
/// <param name="MalformedRecords">Records refused by the parser: not JSON, too big, too deep, too many or repeated keys, no seq.</param>
/// <param name="RateLimitedRecords">Records from unverified cameras over their rate, dropped unacknowledged.</param>
/// <param name="OutputErrors">Records that could not be written (a full disk), dropped unacknowledged.</param>
/// <param name="InternalErrors">Unexpected exceptions caught in a session or the receive loop (each one a bug, never a crash).</param>
public sealed record CollectorCounters(
    long SessionsEstablished,
    long HandshakesFailed,
    long Records,
    long MalformedRecords,
    long IgnoredDatagrams,
    long HelloVerifyRequests,
    int PendingHandshakes,
    int ActiveSessions,
    long RateLimitedRecords = 0,
    long OutputErrors = 0,
    long InternalErrors = 0);
