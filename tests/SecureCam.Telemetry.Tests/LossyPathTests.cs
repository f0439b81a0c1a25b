namespace SecureCam.Telemetry.Tests;

/// <summary>UDP loses datagrams: the handshake must survive by retransmission.</summary>
public sealed class LossyPathTests : IDisposable
{
    private readonly TelemetryCertificates _pki = new();

    [Fact]
    public async Task Handshake_completes_when_datagrams_are_dropped_both_ways()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);
        var udp = await UdpDatagramTransport.ConnectAsync("127.0.0.1", collector.Port, CancellationToken.None);

        // Lose our first ClientHello and the second datagram of the collector's first flight.
        var lossy = new DroppingTransport(udp, dropSends: [1], dropReceives: [2]);
        var settings = _pki.Verified("127.0.0.1", _pki.CameraIdentity) with { HandshakeTimeout = TimeSpan.FromSeconds(30) };
        using var connection = await DtlsClientConnection.ConnectAsync(lossy, settings, CancellationToken.None);

        Assert.Equal(2, lossy.DroppedCount);
        Assert.True(connection.Peer.Verified);

        // Recovery waits for BouncyCastle's retransmission timer (1 s, then 2 s).
        Assert.True(connection.HandshakeTime >= TimeSpan.FromSeconds(0.9), $"handshake took {connection.HandshakeTime}");
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Handshake_gives_up_within_its_timeout_when_nothing_answers()
    {
        // A bound socket that never answers: the handshake must end by its own timeout, not retry forever.
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silent.LocalEndPoint!).Port;
        var settings = _pki.EncryptOnly() with { HandshakeTimeout = TimeSpan.FromSeconds(2) };

        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<TimeoutException>(() => DtlsClientConnection.ConnectAsync("127.0.0.1", port, settings, CancellationToken.None));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _pki.Dispose();
}
