using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SecureCam.Acme;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Acme;

/// <summary>
/// Claims a tls-alpn-01 validation: a ClientHello that offered ALPN acme-tls/1 (marked by
/// <see cref="AcmeTlsAlpnHook"/>) for a name with a pending challenge gets the challenge certificate,
/// ALPN acme-tls/1 only, and no client-certificate request (the CA has no certificate of ours).
/// Anything else passes on and must present a client certificate as usual; a client that offers only
/// acme-tls/1 where no challenge is pending finds no common ALPN protocol and is refused.
/// </summary>
internal sealed class AcmeChallengeCertificateSelector(TlsAlpn01CertificateStore challenges) : IServerCertificateSelector
{
    private static readonly SslApplicationProtocol[] AcmeOnly = [TlsAlpn01CertificateStore.Protocol];

    public ServerCertificateChoice? Select(TlsHandshakeCallbackContext context)
    {
        if (context.Connection.Features.Get<ClientConnectionFeature>() is not { OffersAcmeTls1: true }
            || !challenges.TryGetCertificate(context.ClientHelloInfo.ServerName, out var certificate))
        {
            return null;
        }

        // Built per validation (a handful per issuance); the self-signed challenge certificate has no chain.
        var certificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        return new ServerCertificateChoice(certificateContext, RequireClientCertificate: false, AcmeOnly);
    }
}
