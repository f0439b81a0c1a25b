using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Acme;

/// <summary>
/// The tls-alpn-01 certificates currently wanted, by TLS server name. A TLS listener that sees ALPN
/// "acme-tls/1" in a ClientHello looks the SNI up here (<see cref="TryGetCertificate"/>) and completes that
/// handshake with the challenge certificate, without asking for a client certificate, then closes.
/// </summary>
public sealed class TlsAlpn01CertificateStore : IChallengeResponder, IDisposable
{
    /// <summary>The ALPN protocol id of the challenge (RFC 8737 §6.2).</summary>
    public const string ProtocolName = "acme-tls/1";

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;

    public TlsAlpn01CertificateStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public static SslApplicationProtocol Protocol { get; } = new(ProtocolName);

    public string ChallengeType => ChallengeTypes.TlsAlpn01;

    public int Count => _certificates.Count;

    public bool TryGetCertificate(string? serverName, [NotNullWhen(true)] out X509Certificate2? certificate)
    {
        certificate = null;
        return !string.IsNullOrEmpty(serverName) && _certificates.TryGetValue(serverName.TrimEnd('.'), out certificate);
    }

    /// <summary>
    /// Server options for an acme-tls/1 handshake with <paramref name="serverName"/>, or null when no
    /// challenge is pending for it: the challenge certificate, ALPN acme-tls/1 only, no client certificate.
    /// </summary>
    public SslServerAuthenticationOptions? CreateServerOptions(string? serverName) =>
        TryGetCertificate(serverName, out var certificate)
            ? new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ApplicationProtocols = [Protocol],
                ClientCertificateRequired = false,
            }
            : null;

    public ValueTask PresentAsync(AcmeIdentifier identifier, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var certificate = TlsAlpnChallengeCertificate.Create(identifier, keyAuthorization, _time);
        var name = TlsAlpnChallengeCertificate.ServerNameFor(identifier);

        // A replaced certificate is not disposed: a handshake may still be using it; the GC frees it.
        _certificates[name] = certificate;

        return ValueTask.CompletedTask;
    }

    public ValueTask CleanupAsync(AcmeIdentifier identifier, string token, CancellationToken cancellationToken)
    {
        // Not disposed, for the same reason as in PresentAsync.
        _certificates.TryRemove(TlsAlpnChallengeCertificate.ServerNameFor(identifier), out _);
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var certificate in _certificates.Values)
        {
            certificate.Dispose();
        }

        _certificates.Clear();
    }
}
