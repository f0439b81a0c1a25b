using System.Net.Security;

namespace SecureCam.Server.Tls;

/// <summary>
/// What one TLS connection is answered with: the certificate (with its chain), whether a client
/// certificate is demanded, and the ALPN protocols offered. A challenge connection (ACME tls-alpn-01)
/// gets its challenge certificate, no client-certificate request, and only <c>acme-tls/1</c>.
/// </summary>
internal sealed record ServerCertificateChoice(
    SslStreamCertificateContext Certificate,
    bool RequireClientCertificate,
    IReadOnlyList<SslApplicationProtocol>? ApplicationProtocols = null);
