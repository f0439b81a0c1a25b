using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace SecureCam.Server.Tls;

/// <summary>
/// A pluggable rule that may claim a TLS connection before the local CA's certificate is used.
/// The ACME integration registers one: its domain → the ACME certificate; ALPN acme-tls/1 → the
/// challenge certificate without a client-certificate request. Return null to pass.
/// Called on every handshake: must be quick and must not block.
/// </summary>
internal interface IServerCertificateSelector
{
    ServerCertificateChoice? Select(TlsHandshakeCallbackContext context);
}
