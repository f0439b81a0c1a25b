namespace SecureCam.Acme;

/// <summary>Raised when a new certificate is in hand (issued or loaded from storage).</summary>
public sealed class AcmeCertificateChangedEventArgs(AcmeCertificate certificate, AcmeCertificate? previous) : EventArgs
{
    public AcmeCertificate Certificate { get; } = certificate;

    /// <summary>The certificate served until now; not disposed by the manager, as handshakes may still use it.</summary>
    public AcmeCertificate? Previous { get; } = previous;
}
