using System.Net;

namespace SecureCam.Pki;

/// <summary>Everything needed to issue one leaf certificate, checked before the store is touched.</summary>
internal sealed record LeafPlan(string Name, CertificateKind Kind)
{
    public ClientRole? Role { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    public int Days { get; init; } = CertificateProfiles.DefaultLeafDays;

    public Pkcs12Format? Pkcs12Format { get; init; }

    public string? Pkcs12Password { get; init; }
}
