namespace SecureCam.Acme;

/// <summary>A snapshot of the manager for /api/status and the log.</summary>
public sealed record AcmeManagerStatus
{
    public AcmeManagerState State { get; init; }

    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Serial of the certificate being served (hex), or null when none is in hand.</summary>
    public string? CertificateSerial { get; init; }

    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>When renewal is due, and why ("lifetime" or "ari").</summary>
    public DateTimeOffset? RenewalDue { get; init; }

    public string? RenewalBasis { get; init; }

    /// <summary>When the last successful issuance finished (this process).</summary>
    public DateTimeOffset? LastRenewal { get; init; }

    /// <summary>The last failure's one-line message; cleared by a success.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public int ConsecutiveFailures { get; init; }

    /// <summary>When the next issuance attempt is planned.</summary>
    public DateTimeOffset? NextAttempt { get; init; }
}
