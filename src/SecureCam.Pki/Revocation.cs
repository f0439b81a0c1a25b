using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>What <see cref="CertificateAuthority.Revoke"/> did.</summary>
/// <param name="Name">The certificate's name, or null for a serial the index has no entry for.</param>
/// <param name="Serial">Upper-case hex.</param>
/// <param name="RevokedAt">When it was revoked (the first time, for a repeated revoke).</param>
/// <param name="Reason">The reason recorded (the first one, for a repeated revoke).</param>
/// <param name="AlreadyRevoked">True when it was revoked before: nothing new was recorded, and crl.pem was rewritten only if it lacked the serial.</param>
public sealed record Revocation(string? Name, string Serial, DateTimeOffset RevokedAt, X509RevocationReason? Reason, bool AlreadyRevoked);
