namespace SecureCam.Server.Acme;

/// <summary>The <c>acme</c> object of /api/status (null when ACME is off).</summary>
internal sealed record AcmeReport(
    IReadOnlyList<string> Domains,
    string Challenge,
    string State,
    string? Serial,
    DateTimeOffset? NotAfter,
    DateTimeOffset? RenewalDue,
    string? RenewalBasis,
    DateTimeOffset? LastRenewal,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int Failures,
    DateTimeOffset? NextTry,
    string Reachability,
    string? Warning,
    string? Profile = null);
