using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>One certificate the CA issued, as recorded in index.json.</summary>
public sealed record IndexEntry
{
    /// <summary>"Expiring" means within this window of notAfter: a month leaves time to renew and re-enrol a phone.</summary>
    public static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(30);

    public required string Name { get; init; }

    public required CertificateKind Kind { get; init; }

    /// <summary>For clients only.</summary>
    public ClientRole? Role { get; init; }

    /// <summary>Upper-case hex, big-endian, as OpenSSL prints it.</summary>
    public required string Serial { get; init; }

    public required string Subject { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<string> IpAddresses { get; init; } = [];

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>SHA-256 of the certificate's DER, upper-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>For clients: the format their .p12 was written in (renew keeps it).</summary>
    public Pkcs12Format? Pkcs12Format { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public X509RevocationReason? RevocationReason { get; init; }

    public bool IsRevoked => RevokedAt is not null;

    public CertificateStatus StatusAt(DateTimeOffset now)
    {
        if (IsRevoked)
        {
            return CertificateStatus.Revoked;
        }

        if (now >= NotAfter)
        {
            return CertificateStatus.Expired;
        }

        return NotAfter - now <= ExpiringWindow ? CertificateStatus.Expiring : CertificateStatus.Valid;
    }
}
