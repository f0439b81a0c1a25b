namespace SecureCam.Telemetry;

/// <summary>The handshake ended with a fatal alert: we refused the peer, or the peer refused us.</summary>
public sealed class DtlsRefusedException : Exception
{
    public DtlsRefusedException(string alert, bool sentByUs, string? reason, PeerIdentity? peer, Exception? inner)
        : base(Format(alert, sentByUs, reason), inner)
    {
        Alert = alert;
        SentByUs = sentByUs;
        Reason = reason;
        Peer = peer;
    }

    public DtlsRefusedException()
        : this("internal_error", true, null, null, null)
    {
    }

    public DtlsRefusedException(string message)
        : this("internal_error", true, message, null, null)
    {
    }

    public DtlsRefusedException(string message, Exception inner)
        : this("internal_error", true, message, null, inner)
    {
    }

    /// <summary>The alert's name, e.g. "bad_certificate".</summary>
    public string Alert { get; }

    /// <summary>True when we refused the peer; false when the peer refused us.</summary>
    public bool SentByUs { get; }

    public string? Reason { get; }

    /// <summary>What the peer showed before the refusal (its fingerprint), when it got that far.</summary>
    public PeerIdentity? Peer { get; }

    private static string Format(string alert, bool sentByUs, string? reason) => sentByUs
        ? $"refused the collector with alert {alert}" + (reason is null ? "" : $": {reason}")
        : $"the collector refused us with alert {alert}" + (reason is null ? "" : $": {reason}");
}
