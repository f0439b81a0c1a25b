using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SecureCam.Server.Authentication;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The validation cache the certificate package consults before it validates: a hit is answered only after the
/// clock, the CA and the live CRL were asked again, and a new CRL or CA empties it.
/// </summary>
public sealed class CertificateValidationCacheTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LocalCaCertificate _ca;
    private readonly RevocationMonitor _revocation;
    private readonly LiveCertificateValidationCache _cache;
    private readonly DefaultHttpContext _context = new();

    public CertificateValidationCacheTests()
    {
        var paths = new ServerPkiPaths(_pki.Directory, "server");
        _ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        _revocation = new RevocationMonitor(paths, _ca, NullLogger<RevocationMonitor>.Instance);
        _cache = new LiveCertificateValidationCache(new ClientCertificateValidator(_ca, _revocation, _clock), _revocation, _ca);
    }

    [Fact]
    public void A_hit_is_a_fresh_copy_of_the_accepted_principal()
    {
        var client = _pki.IssueClient("cache-hit");
        _cache.Put(_context, client.Certificate, Accepted(client.Certificate));

        // As Kestrel hands it over on another connection: another object with the same bytes.
        using var again = X509CertificateLoader.LoadCertificate(client.Certificate.RawData);
        var first = _cache.Get(_context, again);
        var second = _cache.Get(_context, again);
        Assert.True(first is { Succeeded: true } && second is { Succeeded: true });
        Assert.Equal("cache-hit", first!.Principal!.Identity!.Name);
        Assert.NotSame(first.Principal, second!.Principal);
    }

    [Fact]
    public void A_hit_for_a_certificate_revoked_since_is_a_miss_even_before_the_cache_is_emptied()
    {
        var client = _pki.IssueClient("cache-revoked");
        _cache.Put(_context, client.Certificate, Accepted(client.Certificate));
        _revocation.Changed += (_, _) => Assert.Null(_cache.Get(_context, client.Certificate));
        _pki.Revoke("cache-revoked");
        _revocation.ReloadIfChanged();
        Assert.Null(_cache.Get(_context, client.Certificate));
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void A_hit_after_the_certificate_expired_is_a_miss()
    {
        var now = _clock.GetUtcNow();
        var client = _pki.MintFromCa("cache-expiring", now.AddMinutes(-5), now.AddMinutes(10), [TestPki.ClientAuth]);
        _cache.Put(_context, client.Certificate, Accepted(client.Certificate));
        Assert.NotNull(_cache.Get(_context, client.Certificate));

        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(_cache.Get(_context, client.Certificate));
    }

    [Fact]
    public void A_new_crl_or_a_new_ca_empties_the_cache_and_refusals_are_never_kept()
    {
        var kept = _pki.IssueClient("cache-kept");
        var other = _pki.IssueClient("cache-other");
        _cache.Put(_context, kept.Certificate, Accepted(kept.Certificate));
        _cache.Put(_context, other.Certificate, AuthenticateResult.Fail("revoked"));
        Assert.Equal(1, _cache.Count);
        Assert.Null(_cache.Get(_context, other.Certificate));

        _pki.Revoke("cache-other");
        _revocation.ReloadIfChanged();
        Assert.Equal(0, _cache.Count);

        _cache.Put(_context, kept.Certificate, Accepted(kept.Certificate));
        using var next = new TestPki();
        File.Copy(next.Store.CaCertificatePath, _pki.Store.CaCertificatePath, overwrite: true);
        File.SetLastWriteTimeUtc(_pki.Store.CaCertificatePath, DateTime.UtcNow.AddSeconds(5));
        _ca.ReloadIfChanged();
        Assert.Equal(0, _cache.Count);

        // Put back by a request that raced with the change: still refused, the hit asks the new CA.
        _cache.Put(_context, kept.Certificate, Accepted(kept.Certificate));
        Assert.Null(_cache.Get(_context, kept.Certificate));
    }

    public void Dispose()
    {
        _cache.Dispose();
        _pki.Dispose();
    }

    private static AuthenticateResult Accepted(X509Certificate2 certificate)
    {
        var identity = ClientIdentity.FromCertificate(certificate, SecureCam.Pki.ClientRole.Viewer, certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        return AuthenticateResult.Success(new AuthenticationTicket(identity.ToPrincipal(CertificateAuthenticationSetup.Scheme), CertificateAuthenticationSetup.Scheme));
    }
}
