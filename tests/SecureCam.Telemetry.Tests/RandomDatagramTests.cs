using System.Net;
using System.Net.Sockets;

namespace SecureCam.Telemetry.Tests;

/// <summary>Garbage at the collector's port must not crash it nor disturb an established session.</summary>
public sealed class RandomDatagramTests : IDisposable
{
    private readonly TelemetryCertificates _pki = new();

    [Fact]
    public async Task A_thousand_random_datagrams_leave_an_established_session_working()
    {
        await using var collector = CollectorHost.Start(_pki, askClientCert: true);
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, TimeSpan.FromSeconds(20)));

        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Loopback, collector.Port);
        var random = new Random(20261121);
        for (var i = 0; i < 1000; i++)
        {
            var datagram = new byte[random.Next(1, 1500)];
            random.NextBytes(datagram);
            if (i % 10 == 0 && datagram.Length > 40)
            {
                // Every tenth has the record header of a ClientHello (type 22, DTLS 1.2, epoch 0, consistent
                // length, handshake type 1) over a random body: it must be told apart from a real one.
                datagram[0] = 22;
                datagram[1] = 0xFE;
                datagram[2] = 0xFD;
                datagram[3] = 0;
                datagram[4] = 0;
                datagram[11] = (byte)((datagram.Length - 13) >> 8);
                datagram[12] = (byte)(datagram.Length - 13);
                datagram[13] = 1;
            }

            await attacker.SendToAsync(datagram, SocketFlags.None, target);
        }

        Assert.True(Exchange.SendAndAwaitAck(connection, 2, TimeSpan.FromSeconds(20)), "the established session still works");
        using var fresh = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);
        Assert.True(Exchange.SendAndAwaitAck(fresh, 1, TimeSpan.FromSeconds(20)), "a new camera still gets in");
        Assert.True(collector.Collector.Counters.IgnoredDatagrams >= 990, $"counters: {collector.Collector.Counters}");
        Assert.Equal(3, collector.Output.Lines.Count);
    }

    [Fact]
    public async Task Malformed_records_inside_a_session_are_counted_and_not_written()
    {
        await using var collector = CollectorHost.Start(_pki);
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.EncryptOnly(), CancellationToken.None);

        connection.Send(Exchange.Line("not json"));
        connection.Send(Exchange.Line("{\"no\":\"sequence\"}"));
        Assert.True(Exchange.SendAndAwaitAck(connection, 5, TimeSpan.FromSeconds(20)));

        Assert.Equal(2, collector.Collector.Counters.MalformedRecords);
        Assert.Single(collector.Output.Lines);
    }

    public void Dispose() => _pki.Dispose();
}
