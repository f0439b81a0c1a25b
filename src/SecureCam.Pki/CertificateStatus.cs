namespace SecureCam.Pki;

/// <summary>Where a certificate stands today, as `securecam-pki list` shows it.</summary>
public enum CertificateStatus
{
    Valid,

    /// <summary>Still valid, but its notAfter is within <see cref="IndexEntry.ExpiringWindow"/>.</summary>
    Expiring,

    Expired,
    Revoked,
}
