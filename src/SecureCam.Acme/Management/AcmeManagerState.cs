namespace SecureCam.Acme;

/// <summary>What <see cref="AcmeCertificateManager"/> is doing.</summary>
public enum AcmeManagerState
{
    /// <summary>RunAsync has not started.</summary>
    Stopped,

    /// <summary>A certificate is in hand and renewal is not due.</summary>
    Valid,

    /// <summary>An issuance is running.</summary>
    Renewing,

    /// <summary>The last attempt failed; the current certificate (if any) keeps serving until the next try.</summary>
    Failing,
}
