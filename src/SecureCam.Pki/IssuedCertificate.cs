using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>What issuing (or renewing) produced: the index entry, the certificate with its key, and the files.</summary>
public sealed record IssuedCertificate(
    IndexEntry Entry,
    X509Certificate2 Certificate,
    string CertificatePath,
    string KeyPath,
    string ChainPath)
{
    /// <summary>For clients: the .p12 file.</summary>
    public string? Pkcs12Path { get; init; }

    /// <summary>For clients: the .p12 password. Show it once; it is stored nowhere.</summary>
    public string? Pkcs12Password { get; init; }

    /// <summary>True when the password was generated (so the caller must show it).</summary>
    public bool Pkcs12PasswordGenerated { get; init; }

    /// <summary>For renewals: the entry that was replaced (now revoked as superseded).</summary>
    public IndexEntry? Replaced { get; init; }
}
