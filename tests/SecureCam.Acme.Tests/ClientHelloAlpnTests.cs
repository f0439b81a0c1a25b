using System.Net;
using System.Net.Sockets;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>Reading ALPN from real ClientHellos, as openssl s_client sends them.</summary>
public sealed class ClientHelloAlpnTests
{
    [SkippableFact]
    public async Task The_acme_tls_1_offer_is_found_and_ordinary_alpn_lists_are_read()
    {
        var acme = await CaptureClientHelloAsync("acme-tls/1");
        var browser = await CaptureClientHelloAsync("h2,http/1.1");
        var none = await CaptureClientHelloAsync(null);

        Assert.True(TlsClientHelloAlpn.OffersAcmeTls1(acme));
        Assert.True(TlsClientHelloAlpn.TryRead(browser, out var protocols));
        Assert.Equal(["h2", "http/1.1"], protocols);
        Assert.False(TlsClientHelloAlpn.OffersAcmeTls1(browser));
        Assert.True(TlsClientHelloAlpn.TryRead(none, out var empty));
        Assert.Empty(empty);

        // Without the 5-byte record header (the handshake message alone) it reads the same.
        Assert.True(TlsClientHelloAlpn.OffersAcmeTls1(acme.AsSpan(5)));
        Assert.False(TlsClientHelloAlpn.TryRead(acme.AsSpan(0, 40), out _));
        Assert.False(TlsClientHelloAlpn.TryRead("GET / HTTP/1.1\r\n\r\n"u8, out _));
    }

    private static async Task<byte[]> CaptureClientHelloAsync(string? alpn)
    {
        var openssl = Peer.Require("openssl");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string[] arguments = alpn is null
            ? ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "cam.securecam.test"]
            : ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "cam.securecam.test", "-alpn", alpn];
        var client = ExternalProcess.RunAsync(openssl, arguments, standardInput: "", timeout: TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        byte[] header = new byte[5];
        byte[] body;
        using (var socket = await listener.AcceptTcpClientAsync(cts.Token))
        {
            var stream = socket.GetStream();
            await stream.ReadExactlyAsync(header, cts.Token);
            body = new byte[(header[3] << 8) | header[4]];
            await stream.ReadExactlyAsync(body, cts.Token);
        }

        // The connection closed without a ServerHello: openssl gives up; its exit code says nothing here.
        await client;
        return [.. header, .. body];
    }
}
