using System.Net;

namespace SecureCam.Network.Certificates;

/// <summary>What the doctor learnt about one server certificate under pki/issued/NAME/cert.pem.</summary>
public sealed record CertificateReport(
    string Name,
    string Path,
    string Subject,
    DateTime NotBefore,
    DateTime NotAfter,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses,
    bool IsConfiguredServerCertificate,
    bool CoversHostName,
    bool CoversMdnsName,
    IReadOnlyList<IPAddress> UncoveredAddresses)
{
    /// <summary>True when every current LAN address of the box is among the certificate's IP names.</summary>
    public bool CoversAddresses => UncoveredAddresses.Count == 0;
}
