using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Authentication;

/// <summary>
/// The package's <see cref="ICertificateValidationCache"/>, made safe for revocation: it saves the package's
/// per-request X509Chain build and principal, but every hit asks <see cref="ClientCertificateValidator"/> again
/// (the clock, the CA, the live CRL), so a certificate revoked or expired in the middle of a kept-alive
/// HTTP/1.1 or HTTP/2 connection is refused on its next request. The package's own cache answers a hit
/// without any check for up to 30 minutes.
/// </summary>
/// <remarks>
/// Only successes are kept (a refusal is never an answer to reuse). Emptied when a new CRL or a new CA is
/// loaded; an entry put back by a request that raced with that is harmless, since every hit is re-checked
/// against the current CA and CRL. Safe for concurrent use.
/// </remarks>
internal sealed class LiveCertificateValidationCache : ICertificateValidationCache, IDisposable
{
    /// <summary>Bound on entries, as in the handshake validator's cache: far above the devices one home enrols.</summary>
    public const int Limit = ClientCertificateValidator.CacheLimit;

    private readonly ConcurrentDictionary<string, AuthenticationTicket> _entries = new(StringComparer.Ordinal);
    private readonly ClientCertificateValidator _validator;
    private readonly IRevocationStatus _revocation;
    private readonly LocalCaCertificate _ca;

    public LiveCertificateValidationCache(ClientCertificateValidator validator, IRevocationStatus revocation, LocalCaCertificate ca)
    {
        _validator = validator;
        _revocation = revocation;
        _ca = ca;
        _revocation.Changed += OnPkiChanged;
        _ca.Changed += OnPkiChanged;
    }

    public int Count => _entries.Count;

    public AuthenticateResult? Get(HttpContext context, X509Certificate2 certificate)
    {
        var key = Key(context, certificate);
        if (!_entries.TryGetValue(key, out var ticket))
        {
            return null;
        }

        if (!_validator.Validate(certificate, key).Accepted)
        {
            // A miss: the package validates in full and our events refuse and audit it.
            _entries.TryRemove(key, out _);
            return null;
        }

        // A copy per request: nothing one request does to its principal can reach another's.
        return AuthenticateResult.Success(new AuthenticationTicket(ticket.Principal.Clone(), ticket.AuthenticationScheme));
    }

    public void Put(HttpContext context, X509Certificate2 certificate, AuthenticateResult result)
    {
        if (!result.Succeeded || result.Ticket is not { } ticket)
        {
            return;
        }

        if (_entries.Count >= Limit)
        {
            _entries.Clear();
        }

        _entries[Key(context, certificate)] = new AuthenticationTicket(ticket.Principal.Clone(), ticket.AuthenticationScheme);
    }

    public void Dispose()
    {
        _revocation.Changed -= OnPkiChanged;
        _ca.Changed -= OnPkiChanged;
    }

    /// <summary>The whole certificate's SHA-256, never a name: made once per connection (<see cref="ClientConnectionFeature"/>).</summary>
    private static string Key(HttpContext context, X509Certificate2 certificate) => ClientConnectionFeature.CertificateSha256(context.Features, certificate);

    private void OnPkiChanged(object? sender, EventArgs e) => _entries.Clear();
}
