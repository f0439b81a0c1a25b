using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// Checks a certificate against this store's CA the way a peer would: the chain (signature, validity,
/// name constraints — built by the platform, which is OpenSSL on Linux), a TLS purpose, and the CRL.
/// </summary>
public static class CertificateVerifier
{
    public static VerificationResult Verify(PkiStore store, X509Certificate2 certificate, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(certificate);
        var now = at ?? DateTimeOffset.UtcNow;
        using var ca = store.ReadCaCertificate();
        var who = $"{certificate.Subject} (serial {certificate.SerialNumber})";

        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (!chain.Build(certificate))
            {
                var problems = chain.ChainStatus
                    .Select(s => s.StatusInformation.Trim().TrimEnd('.'))
                    .Where(s => s.Length > 0)
                    .Distinct();
                return new VerificationResult(false, $"INVALID: {who}: {string.Join("; ", problems)}");
            }

            if (chain.ChainElements.Count != 2 || chain.ChainElements[1].Certificate.Thumbprint != ca.Thumbprint)
            {
                return new VerificationResult(false, $"INVALID: {who} was not issued by {ca.Subject}");
            }
        }

        var purposes = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>())
            .Select(o => o.Value switch
            {
                CertificateProfiles.ServerAuthOid => "serverAuth",
                CertificateProfiles.ClientAuthOid => "clientAuth",
                _ => null,
            })
            .OfType<string>()
            .ToList();
        if (purposes.Count == 0)
        {
            return new VerificationResult(false, $"INVALID: {who} has no TLS purpose (serverAuth or clientAuth)");
        }

        if (!File.Exists(store.CrlPath))
        {
            return new VerificationResult(false, $"UNKNOWN: {store.CrlPath} is missing, so revocation cannot be checked; run `securecam-pki crl`");
        }

        var crl = RevocationList.Load(File.ReadAllBytes(store.CrlPath), ca);
        if (crl.Find(certificate.SerialNumber) is { } revoked)
        {
            var reason = revoked.Reason is { } r ? $", reason {RevocationReasons.Name(r)}" : string.Empty;
            return new VerificationResult(false, $"REVOKED: {who} on {revoked.RevokedAt:yyyy-MM-dd HH:mm} UTC{reason}");
        }

        if (crl.IsStaleAt(now))
        {
            return new VerificationResult(false, $"UNKNOWN: {store.CrlPath} expired on {crl.NextUpdate:yyyy-MM-dd}; run `securecam-pki crl`");
        }

        var role = CertificateProfiles.ReadRole(certificate) is { } clientRole ? $", role {CertificateProfiles.RoleName(clientRole)}" : string.Empty;
        return new VerificationResult(
            true,
            $"OK: {who}, {string.Join("+", purposes)}{role}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}, issued by {ca.GetNameInfo(X509NameType.SimpleName, false)}, not revoked (CRL {crl.Number})");
    }
}
