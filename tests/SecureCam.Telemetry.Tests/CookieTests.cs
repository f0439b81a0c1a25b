using System.Net;
using System.Net.Sockets;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>
/// The collector answers a ClientHello from an unknown address with a stateless HelloVerifyRequest, so spoofed hellos
/// cost it no state and no public-key work, and its reply is no amplifier. Spoofing a source address needs raw
/// sockets; here the "spoofed" senders are sockets on other loopback addresses (127.0.0.2 …) that never answer, which
/// is what the collector sees of a forged source.
/// </summary>
public sealed class CookieTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TelemetryCertificates _pki = new();

    [Fact]
    public async Task Spoofed_client_hellos_get_only_a_small_hello_verify_request_and_take_no_pending_slot()
    {
        // Four slots: without cookies, four silent hellos would hold them all for the whole handshake timeout.
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true, configure: o => o with { MaxPendingHandshakes = 4 });
        var hello = await CaptureHellosAsync(collector);
        var target = new IPEndPoint(IPAddress.Loopback, collector.Port);

        const int Senders = 100;
        const int Rounds = 3;
        var senders = Enumerable.Range(2, Senders).Select(i => Bind(new IPAddress([127, 0, 0, (byte)i]))).ToList();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var sender in senders)
                {
                    await sender.SendToAsync(hello.First, SocketFlags.None, target);
                }
            }

            await Eventually.TrueAsync(
                () => collector.Collector.Counters.HelloVerifyRequests >= Senders * Rounds,
                Generous,
                () => $"counters: {collector.Collector.Counters}");
            var counters = collector.Collector.Counters;
            Assert.Equal(0, counters.PendingHandshakes);
            Assert.Equal(0, counters.ActiveSessions);

            // What each sender got back: one HelloVerifyRequest per hello, each smaller than the hello itself.
            var replies = 0;
            var buffer = new byte[2048];
            foreach (var sender in senders)
            {
                while (sender.Available > 0)
                {
                    var length = sender.Receive(buffer);
                    Assert.True(length < hello.First.Length, $"reply of {length} bytes to a hello of {hello.First.Length}");
                    Assert.Equal(22, buffer[0]); // handshake record
                    Assert.Equal(3, buffer[13]); // hello_verify_request
                    replies++;
                }
            }

            Assert.Equal(Senders * Rounds, replies);

            // A real camera still gets in at once, with its device certificate checked.
            using var camera = await DtlsClientConnection.ConnectAsync(
                "127.0.0.1", collector.Port, _pki.Verified(device: _pki.CameraIdentity) with { HandshakeTimeout = TimeSpan.FromSeconds(5) }, CancellationToken.None);
            Assert.True(Exchange.SendAndAwaitAck(camera, 1, Generous));
        }
        finally
        {
            senders.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_hello_with_a_cookie_made_for_another_address_opens_no_session()
    {
        await using var collector = CollectorHost.Start(_pki);
        var hello = await CaptureHellosAsync(collector);
        var established = collector.Collector.Counters.SessionsEstablished;

        // The camera's second hello carries a valid cookie, but for the camera's address and port, not ours.
        using var thief = Bind(IPAddress.Loopback);
        await thief.SendToAsync(hello.WithCookie, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, collector.Port));

        var buffer = new byte[2048];
        using var wait = new CancellationTokenSource(Generous);
        var reply = await thief.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
        Assert.Equal(3, buffer[13]); // a fresh HelloVerifyRequest, not a ServerHello
        Assert.True(reply < hello.WithCookie.Length);
        var counters = collector.Collector.Counters;
        Assert.Equal(0, counters.PendingHandshakes);
        Assert.Equal(0, counters.ActiveSessions);
        Assert.Equal(established, counters.SessionsEstablished);
    }

    [Fact]
    public async Task The_client_answers_the_cookie_exchange_and_the_session_works()
    {
        await using var collector = CollectorHost.Start(_pki);
        var udp = await UdpDatagramTransport.ConnectAsync("127.0.0.1", collector.Port, CancellationToken.None);
        var recorder = new RecordingTransport(udp);

        using var connection = await DtlsClientConnection.ConnectAsync(recorder, _pki.EncryptOnly(), CancellationToken.None);

        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous));
        Assert.Equal(1, collector.Collector.Counters.HelloVerifyRequests);
        Assert.Equal(1, recorder.Sent[1][13]); // the second datagram is the ClientHello again, now with the cookie
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>A real camera's first hello (no cookie) and second hello (with the cookie the collector gave it).</summary>
    private async Task<(byte[] First, byte[] WithCookie)> CaptureHellosAsync(CollectorHost collector)
    {
        var udp = await UdpDatagramTransport.ConnectAsync("127.0.0.1", collector.Port, CancellationToken.None);
        var recorder = new RecordingTransport(udp);
        using (await DtlsClientConnection.ConnectAsync(recorder, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None))
        {
        }

        // Its session at the collector ends on the close_notify: start the test from no session at all.
        await Eventually.TrueAsync(() => collector.Collector.Counters.ActiveSessions == 0, Generous, () => $"counters: {collector.Collector.Counters}");
        return (recorder.Sent[0], recorder.Sent[1]);
    }

    private static Socket Bind(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }
}
