using System.Net;

namespace SecureCam.Pki;

/// <summary>A TLS server certificate to issue: its name under issued/, and the names it serves.</summary>
public sealed record ServerCertificateRequest(string Name)
{
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    /// <summary>Validity in days; at most <see cref="CertificateProfiles.MaxServerDays"/>.</summary>
    public int Days { get; init; } = CertificateProfiles.DefaultLeafDays;
}
