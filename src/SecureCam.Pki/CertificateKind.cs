namespace SecureCam.Pki;

/// <summary>The issuance profiles of the local CA.</summary>
public enum CertificateKind
{
    /// <summary>A TLS server (the camera server, a telemetry collector): EKU serverAuth, DNS/IP names.</summary>
    Server,

    /// <summary>A person's phone or browser: EKU clientAuth, a role, delivered as a .p12.</summary>
    Client,

    /// <summary>A camera's own identity for mutual DTLS: EKU clientAuth, PEM files only.</summary>
    Device,
}
