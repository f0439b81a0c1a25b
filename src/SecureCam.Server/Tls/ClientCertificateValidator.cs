using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.Server.Tls;

/// <summary>
/// Decides whether a client certificate may see the camera. Accepted only when it chains to the local
/// CA alone (no system roots, no downloaded intermediates), carries EKU clientAuth and a role, is inside
/// its validity window, is not the CA itself or a CA at all, and is not revoked by the current CRL.
/// <para>
/// Cost per handshake: what depends only on the certificate's bytes and the CA (chain signature, EKU,
/// role) is cached by the certificate's SHA-256; the clock and the revocation answer are checked every
/// time — a revocation must bite on the very next handshake.
/// </para>
/// </summary>
internal sealed class ClientCertificateValidator
{
    /// <summary>Bound on cached chain results: far above the number of devices one home enrols, small in memory.</summary>
    public const int CacheLimit = 4096;

    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly LocalCaCertificate _ca;
    private readonly IRevocationStatus _revocation;
    private readonly TimeProvider _time;
    private ChainCache _cache;

    public ClientCertificateValidator(LocalCaCertificate ca, IRevocationStatus revocation, TimeProvider time)
    {
        _ca = ca;
        _revocation = revocation;
        _time = time;
        _cache = new ChainCache(ca.Certificate);
    }

    /// <summary>Judges a certificate met outside a connection (its hash is computed here).</summary>
    public ClientCertificateVerdict Validate(X509Certificate2? certificate) =>
        certificate is null ? ClientCertificateVerdict.Reject("no client certificate") : Validate(certificate, certificate.GetCertHashString(HashAlgorithmName.SHA256));

    /// <summary>Judges a connection's certificate.</summary>
    /// <param name="certificate">The certificate presented.</param>
    /// <param name="sha256">Its SHA-256 as <see cref="ClientConnectionFeature.CertificateSha256(X509Certificate2)"/> gives it (once per connection); the cache key, so it must be this certificate's.</param>
    public ClientCertificateVerdict Validate(X509Certificate2 certificate, string sha256)
    {
        var cache = CurrentCache();
        var ca = cache.Ca;
        if (!cache.Entries.TryGetValue(sha256, out var intrinsic))
        {
            intrinsic = CheckIntrinsic(certificate, ca);
            if (cache.Entries.Count >= CacheLimit)
            {
                cache.Entries.Clear();
            }

            cache.Entries[sha256] = intrinsic;
        }

        if (!intrinsic.Accepted)
        {
            return intrinsic;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return ClientCertificateVerdict.Reject($"not yet valid (from {certificate.NotBefore.ToUniversalTime():u})");
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            return ClientCertificateVerdict.Reject($"expired ({certificate.NotAfter.ToUniversalTime():u})");
        }

        if (now > ca.NotAfter.ToUniversalTime() || now < ca.NotBefore.ToUniversalTime())
        {
            return ClientCertificateVerdict.Reject("the local CA certificate is outside its validity period");
        }

        return _revocation.IsRevoked(certificate) ? ClientCertificateVerdict.Reject("revoked") : intrinsic;
    }

    /// <summary>Checks that depend only on the certificate and the CA (safe to cache by the certificate's hash).</summary>
    private static ClientCertificateVerdict CheckIntrinsic(X509Certificate2 certificate, X509Certificate2 ca)
    {
        if (certificate.RawData.AsSpan().SequenceEqual(ca.RawData))
        {
            return ClientCertificateVerdict.Reject("the CA certificate itself");
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
        {
            return ClientCertificateVerdict.Reject("a CA certificate, not a client certificate");
        }

        var chainProblem = CheckChain(certificate, ca);
        if (chainProblem is not null)
        {
            return ClientCertificateVerdict.Reject(chainProblem);
        }

        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null)
        {
            return ClientCertificateVerdict.Reject("no extended key usage (clientAuth required)");
        }

        var usages = eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        if (!usages.Contains(ClientAuth.Value))
        {
            return ClientCertificateVerdict.Reject(usages.Contains(ServerAuth.Value)
                ? "serverAuth-only EKU (a server certificate, not a client one)"
                : "EKU without clientAuth");
        }

        ClientRole? role;
        try
        {
            role = CertificateProfiles.ReadRole(certificate);
        }
        catch (Exception ex) when (ex is PkiException or ArgumentException or CryptographicException)
        {
            return ClientCertificateVerdict.Reject("unreadable role: " + ex.Message);
        }

        return role is { } r ? ClientCertificateVerdict.Accept(r) : ClientCertificateVerdict.Reject("no role (subject OU=viewer, OU=admin or OU=monitor required)");
    }

    /// <summary>Null when the certificate is signed by the CA's key directly; else why not.</summary>
    private static string? CheckChain(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(ca);

        // Revocation is ours (the live CRL), the clock is checked per handshake (this result is cached),
        // and nothing is ever fetched from the network on a stranger's behalf.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        policy.DisableCertificateDownloads = true;

        var built = chain.Build(certificate);
        if (built && chain.ChainElements.Count == 2 && chain.ChainElements[1].Certificate.RawData.AsSpan().SequenceEqual(ca.RawData))
        {
            return null;
        }

        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) && chain.ChainElements.Count == 1)
        {
            return "self-signed";
        }

        var flags = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToList();
        if (flags.Contains(X509ChainStatusFlags.NotSignatureValid))
        {
            return "signature does not verify with the local CA's key (forged or copied names)";
        }

        if (flags.Contains(X509ChainStatusFlags.PartialChain) || flags.Contains(X509ChainStatusFlags.UntrustedRoot))
        {
            return certificate.IssuerName.RawData.AsSpan().SequenceEqual(ca.SubjectName.RawData)
                ? "signature does not verify with the local CA's key (forged or copied names)"
                : "not issued by the local CA";
        }

        return built ? "not issued directly by the local CA" : "chain error: " + string.Join(',', flags);
    }

    private ChainCache CurrentCache()
    {
        var cache = Volatile.Read(ref _cache);
        var ca = _ca.Certificate;
        if (ReferenceEquals(cache.Ca, ca))
        {
            return cache;
        }

        // A new CA invalidates every cached chain.
        var fresh = new ChainCache(ca);
        Volatile.Write(ref _cache, fresh);
        return fresh;
    }

    private sealed class ChainCache(X509Certificate2 ca)
    {
        public X509Certificate2 Ca { get; } = ca;

        public ConcurrentDictionary<string, ClientCertificateVerdict> Entries { get; } = new(StringComparer.Ordinal);
    }
}
