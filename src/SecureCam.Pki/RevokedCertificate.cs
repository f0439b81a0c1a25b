using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>One entry of a CRL: the serial (upper-case hex), when it was revoked, and why (if stated).</summary>
public sealed record RevokedCertificate(string Serial, DateTimeOffset RevokedAt, X509RevocationReason? Reason);
