using SecureCam.Acme;

namespace SecureCam.Server.Acme;

/// <summary>Builds the <c>acme</c> object of /api/status from the manager's status and the reachability verdict.</summary>
internal sealed class AcmeStatusSource(AcmeCertificateManager manager, AcmeSettings settings)
{
    private volatile AcmeReachability? _reachability;

    /// <summary>Set once at start by <see cref="AcmeHostedService"/>.</summary>
    public AcmeReachability? Reachability
    {
        get => _reachability;
        set => _reachability = value;
    }

    public AcmeReport Build()
    {
        var status = manager.Status;
        var reachability = Reachability;
        return new AcmeReport(
            status.Domains,
            settings.Challenge,
            StateName(status),
            status.CertificateSerial,
            status.CertificateNotAfter,
            status.RenewalDue,
            status.RenewalBasis,
            status.LastRenewal,
            status.LastError,
            status.LastErrorAt,
            status.ConsecutiveFailures,
            status.NextAttempt,
            reachability?.Verdict ?? "unknown",
            reachability?.Warning,
            settings.Profile);
    }

    /// <summary>Lower-case words for JSON; "pending" is a first issuance that has not yet succeeded or failed.</summary>
    private static string StateName(AcmeManagerStatus status) => status.State switch
    {
        AcmeManagerState.Valid => "valid",
        AcmeManagerState.Renewing => status.CertificateSerial is null ? "issuing" : "renewing",
        AcmeManagerState.Failing => "failing",
        _ => "stopped",
    };
}
