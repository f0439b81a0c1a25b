using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

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

/// <summary>The self-signed certificate that answers a tls-alpn-01 challenge (RFC 8737 §3).</summary>
public static class TlsAlpnChallengeCertificate
{
    /// <summary>id-pe-acmeIdentifier.</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    /// <summary>
    /// A certificate whose only SAN is the identifier and which carries the critical acmeIdentifier
    /// extension: an OCTET STRING holding SHA-256 of the key authorization. Fresh P-256 key each time.
    /// </summary>
    public static X509Certificate2 Create(AcmeIdentifier identifier, string keyAuthorization, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(keyAuthorization);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=ACME tls-alpn-01 challenge"), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (identifier.Type == "ip")
        {
            san.AddIpAddress(IPAddress.Parse(identifier.Value));
        }
        else
        {
            san.AddDnsName(identifier.Value);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));

        // DER: OCTET STRING (tag 0x04), length 32, then the digest.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization));
        request.CertificateExtensions.Add(new X509Extension(AcmeIdentifierOid, [0x04, 0x20, .. digest], critical: true));

        var now = (time ?? TimeProvider.System).GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
    }

    /// <summary>
    /// The TLS server name (SNI) the validator sends for an identifier: the DNS name itself, or for an IP
    /// address its reverse-DNS name (RFC 8738 §6).
    /// </summary>
    public static string ServerNameFor(AcmeIdentifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Type != "ip")
        {
            return identifier.Value.ToLowerInvariant();
        }

        var address = IPAddress.Parse(identifier.Value);
        var bytes = address.GetAddressBytes();
        if (bytes.Length == 4)
        {
            return string.Join('.', bytes.Reverse().Select(b => b.ToString(CultureInfo.InvariantCulture))) + ".in-addr.arpa";
        }

        var nibbles = bytes.SelectMany(b => new[] { b >> 4, b & 0xF }).Reverse().Select(n => n.ToString("x", CultureInfo.InvariantCulture));
        return string.Join('.', nibbles) + ".ip6.arpa";
    }
}
