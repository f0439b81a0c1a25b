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

    [Fact]
    public void A_handshake_length_shorter_than_version_and_random_is_no_client_hello()
    {
        // Record header, ClientHello type, a 24-bit length of 5, then 40 bytes: the body ends before the random.
        byte[] hello = [0x16, 0x03, 0x01, 0x00, 44, 0x01, 0x00, 0x00, 0x05, .. new byte[40]];
        Assert.False(TlsClientHelloAlpn.TryRead(hello, out _));
        for (var length = 0; length < 34; length++)
        {
            hello[8] = (byte)length;
            Assert.False(TlsClientHelloAlpn.TryRead(hello, out _));
        }
    }

    [SkippableFact]
    public async Task Truncated_mutated_oversized_and_random_client_hellos_never_throw()
    {
        var real = await CaptureClientHelloAsync("h2,http/1.1,acme-tls/1");
        var random = new Random(7301);
        var inputs = new List<byte[]>();
        for (var cut = 0; cut <= real.Length; cut++)
        {
            inputs.Add(real[..cut]);
            inputs.Add(real[Math.Min(cut, real.Length)..]);
        }

        for (var i = 0; i < 20_000; i++)
        {
            var mutated = (byte[])real.Clone();
            for (var flips = random.Next(1, 5); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            inputs.Add(mutated);
        }

        for (var i = 0; i < 2_000; i++)
        {
            var garbage = new byte[random.Next(0, 600)];
            random.NextBytes(garbage);
            if (garbage.Length > 5 && random.Next(2) == 0)
            {
                garbage[0] = 0x16;
                garbage[5] = 0x01;
            }

            inputs.Add(garbage);
        }

        inputs.Add([.. real, .. new byte[70_000]]);
        inputs.Add(Enumerable.Repeat(real, 200).SelectMany(b => b).ToArray());
        foreach (var input in inputs)
        {
            _ = TlsClientHelloAlpn.TryRead(input, out var protocols);
            Assert.NotNull(protocols);
            _ = TlsClientHelloAlpn.OffersAcmeTls1(input);
        }
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
