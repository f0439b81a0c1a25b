namespace SecureCam.Pki;

/// <summary>A client (phone, browser) identity to issue.</summary>
public sealed record ClientCertificateRequest(string Name)
{
    public ClientRole Role { get; init; } = ClientRole.Viewer;

    public int Days { get; init; } = CertificateProfiles.DefaultLeafDays;

    /// <summary>The .p12 password; null to generate a strong one (returned once, stored nowhere).</summary>
    public string? Pkcs12Password { get; init; }

    public Pkcs12Format Pkcs12Format { get; init; } = Pkcs12Format.Legacy;
}
