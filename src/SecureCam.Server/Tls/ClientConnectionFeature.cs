using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using SecureCam.Pki;

namespace SecureCam.Server.Tls;

/// <summary>
/// What SecureCam knows about one TLS connection, kept in the connection's own feature collection
/// (<c>ConnectionContext.Features</c>, which Kestrel also shows through <c>HttpContext.Features</c>).
/// The audit wrapper of <see cref="TlsConnectionSetup"/> sets it first; listener hooks, certificate
/// selectors, the handshake callback, <see cref="HandshakeErrorCapture"/>, the connection limiter and
/// per-request authentication read and fill it.
/// <para>
/// Written by the connection's own middleware and handshake, one step after another; read after the
/// handshake. Only <see cref="CertificateSha256(X509Certificate2)"/> is called concurrently (HTTP/2 requests) and is safe for it.
/// </para>
/// </summary>
internal sealed class ClientConnectionFeature
{
    private Hashed? _hashed;

    /// <summary>The connection arrived on a <c>Server:PublicListen</c> listener (for the certificate selectors).</summary>
    public bool IsPublicListener { get; set; }

    /// <summary>Its first ClientHello offered ALPN acme-tls/1 (set by the ACME hook before the handshake).</summary>
    public bool OffersAcmeTls1 { get; set; }

    /// <summary>A ClientHello arrived and the per-connection TLS options were made: a bare port probe never sets it.</summary>
    public bool ClientHelloReceived { get; set; }

    /// <summary>The handshake asked for no client certificate (an ACME tls-alpn-01 validation): the connection never reaches HTTP.</summary>
    public bool NoClientCertificateRequested { get; set; }

    /// <summary>Our validation callback judged the client certificate (and audited a refusal itself).</summary>
    public bool CertificateJudged { get; set; }

    /// <summary>The role our validation callback accepted the client certificate with (null until it did), for what runs after the handshake.</summary>
    public ClientRole? AcceptedRole { get; set; }

    /// <summary>The handshake succeeded.</summary>
    public bool HandshakeCompleted { get; set; }

    /// <summary>Why Kestrel's HTTPS layer failed the handshake, as it logged it (filled by <see cref="HandshakeErrorCapture"/>).</summary>
    public string? HandshakeFailure { get; set; }

    /// <summary>The handshake failed because the client went away (EOF, reset) rather than being refused.</summary>
    public bool ClientLeft { get; set; }

    /// <summary>This connection's feature, made and set if nothing set it yet.</summary>
    public static ClientConnectionFeature Of(ConnectionContext connection)
    {
        if (connection.Features.Get<ClientConnectionFeature>() is { } feature)
        {
            return feature;
        }

        feature = new ClientConnectionFeature();
        connection.Features.Set(feature);
        return feature;
    }

    /// <summary>The certificate's SHA-256 through the connection's feature if there is one (a request's features), else computed here.</summary>
    public static string CertificateSha256(IFeatureCollection? features, X509Certificate2 certificate) =>
        features?.Get<ClientConnectionFeature>() is { } feature ? feature.CertificateSha256(certificate) : Sha256Of(certificate);

    /// <summary>
    /// The SHA-256 of the whole certificate (upper-case hex), computed once per connection: the handshake's
    /// validator cache, the connection limiter and the authentication cache all key on it. The value kept
    /// is returned only for the very same certificate bytes; another certificate is hashed and kept instead,
    /// so a key never stands for a certificate it was not computed from.
    /// </summary>
    public string CertificateSha256(X509Certificate2 certificate)
    {
        var hashed = Volatile.Read(ref _hashed);
        if (hashed is not null && (ReferenceEquals(hashed.Certificate, certificate) || hashed.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
        {
            return hashed.Sha256;
        }

        hashed = new Hashed(certificate, Sha256Of(certificate));
        Volatile.Write(ref _hashed, hashed);
        return hashed.Sha256;
    }

    /// <summary>Hashes the certificate's bytes where they lie: <c>GetCertHashString</c> would first copy them (<c>RawData</c>) on every connection.</summary>
    private static string Sha256Of(X509Certificate2 certificate)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.RawDataMemory.Span, hash);
        return Convert.ToHexString(hash);
    }

    private sealed record Hashed(X509Certificate2 Certificate, string Sha256);
}
