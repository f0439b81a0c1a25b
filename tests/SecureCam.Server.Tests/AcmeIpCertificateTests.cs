using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Acme;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// An ACME certificate for an IP address (RFC 8738), issued by a real Pebble through the server's own
/// renewal loop, and which connections without SNI receive it. Everything is on loopback, so addresses
/// stand in for the real ones: 127.0.0.1 is the box's public address (the one on the certificate, where
/// Pebble validates) and 127.0.0.2 its LAN address. Both sit on the same machine, as on a box that holds
/// a public and a LAN address, and what tells them apart is only the local address a connection arrived
/// on. A third listener on 127.0.0.2 is marked public (<c>Server:PublicListen</c>), standing for the port
/// a router forwards its public 443 to: there the address arrived on is the LAN one, and only the
/// listener tells. Every path still demands the viewer's client certificate.
/// </summary>
[Collection(AcmeCollection.Name)]
public sealed class AcmeIpCertificateTests
{
    private static readonly IPAddress PublicAddress = IPAddress.Loopback;
    private static readonly IPAddress LanAddress = IPAddress.Parse("127.0.0.2");
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(150);

    [SkippableTheory]
    [InlineData(ChallengeTypes.TlsAlpn01)]
    [InlineData(ChallengeTypes.Http01)]
    public async Task The_ip_certificate_goes_to_clients_without_sni_on_its_address_or_a_public_listener_and_the_lan_keeps_the_local_ca(string challenge)
    {
        await using var pebble = await PebbleServer.StartAsync();
        var publicListenerPort = FreePort.Tcp(LanAddress);
        await using var server = await AcmeServer.StartAsync(pebble, challenge, new Dictionary<string, string?>
        {
            // Pebble validates an IP identifier at that address: tls-alpn-01 on its TlsPort (SNI
            // 1.0.0.127.in-addr.arpa), http-01 on its HttpPort.
            ["Server:Listen"] = $"https://{PublicAddress}:{pebble.TlsPort};https://{LanAddress}:{pebble.TlsPort}",
            ["Server:PublicListen"] = $"https://{LanAddress}:{publicListenerPort}",
            ["Acme:Domains:0"] = null,
            ["Acme:Identifiers:0"] = PublicAddress.ToString(),
        });

        await server.WaitUntilAsync(s => s.State == AcmeManagerState.Valid && s.CertificateSerial is not null, Generous);
        var issued = server.Manager.Current!;
        Assert.Equal([PublicAddress.ToString()], issued.Names);

        // By IP without SNI, on the address the certificate names: the ACME certificate.
        using (var byIp = await server.ServerCertificateAsync(new IPEndPoint(PublicAddress, pebble.TlsPort)))
        {
            Assert.Equal(issued.SerialNumber, byIp.SerialNumber);
            Assert.DoesNotContain("SecureCam Test CA", byIp.Issuer, StringComparison.Ordinal);
            Assert.Contains(PublicAddress, byIp.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
        }

        // The same port on the LAN address: the local CA's certificate, as before ACME.
        using (var lan = await server.ServerCertificateAsync(new IPEndPoint(LanAddress, pebble.TlsPort)))
        {
            Assert.Contains("SecureCam Test CA", lan.Issuer, StringComparison.Ordinal);
        }

        // The LAN address again, but on the listener marked public: the ACME certificate.
        using (var forwarded = await server.ServerCertificateAsync(new IPEndPoint(LanAddress, publicListenerPort)))
        {
            Assert.Equal(issued.SerialNumber, forwarded.SerialNumber);
        }

        // A name as SNI that is not on the certificate keeps the local CA's, whatever the address.
        using (var named = await server.ServerCertificateAsync(new IPEndPoint(PublicAddress, pebble.TlsPort), "localhost"))
        {
            Assert.Contains("SecureCam Test CA", named.Issuer, StringComparison.Ordinal);
        }

        // Requests on the ACME paths: served with the viewer's certificate, refused without one.
        foreach (var endpoint in new[] { new IPEndPoint(PublicAddress, pebble.TlsPort), new IPEndPoint(LanAddress, publicListenerPort) })
        {
            Assert.Equal(HttpStatusCode.OK, await HealthAsync(endpoint, server.Viewer.Certificate));
            Assert.NotEqual(HttpStatusCode.OK, await HealthAsync(endpoint, clientCertificate: null));
        }
    }

    /// <summary>GET /healthz by address (so no SNI); a refused handshake or reset counts as Forbidden.</summary>
    private static async Task<HttpStatusCode> HealthAsync(IPEndPoint endpoint, X509Certificate2? clientCertificate)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.GetAsync(new Uri($"https://{endpoint}/healthz"));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.Forbidden;
        }
    }
}
