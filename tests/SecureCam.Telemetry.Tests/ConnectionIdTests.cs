using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>RFC 9146 connection IDs: a camera whose address or port changes keeps its session without a new handshake.</summary>
public sealed class ConnectionIdTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TelemetryCertificates _pki = new();

    [Fact]
    public async Task Records_keep_arriving_in_the_same_session_after_the_camera_moves_to_a_new_port()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);
        var transport = new RebindingTransport(new IPEndPoint(IPAddress.Loopback, collector.Port));
        using var connection = await DtlsClientConnection.ConnectAsync(transport, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);
        var before = transport.LocalEndPoint;
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous));

        var after = transport.Rebind();
        Assert.NotEqual(before.Port, after.Port);

        // The acknowledgement can only reach the new socket if the collector followed the camera there.
        Assert.True(Exchange.SendAndAwaitAck(connection, 2, Generous), "no acknowledgement after the move");
        Assert.True(Exchange.SendAndAwaitAck(connection, 3, Generous));

        var counters = collector.Collector.Counters;
        Assert.Equal(1, counters.SessionsEstablished);
        Assert.Equal(1, counters.ActiveSessions);
        var froms = collector.Output.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("from").GetString()).ToList();
        Assert.Equal([before.ToString(), after.ToString(), after.ToString()], froms);
        await collector.WaitForLogAsync($"session from {before} moved to {after}", Generous);
    }

    [Fact]
    public async Task A_replayed_record_from_another_address_does_not_move_the_session()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);
        var transport = new RebindingTransport(new IPEndPoint(IPAddress.Loopback, collector.Port));
        using var connection = await DtlsClientConnection.ConnectAsync(transport, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous));
        var captured = transport.Sent[^1];
        Assert.Equal(25, captured[0]); // tls12_cid: the camera's records carry the collector's connection ID

        // An on-path attacker replays the camera's last record from its own address.
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await attacker.SendToAsync(captured, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, collector.Port));

        // The session stays with the camera: its next record is acknowledged to it, and nothing went to the attacker.
        Assert.True(Exchange.SendAndAwaitAck(connection, 2, Generous));
        Assert.Equal(0, attacker.Available);
        Assert.DoesNotContain("moved", collector.LogText, StringComparison.Ordinal);
        Assert.Equal(2, collector.Output.Lines.Count);
    }

    [Fact]
    public async Task A_datagram_with_an_unknown_connection_id_is_ignored()
    {
        await using var collector = CollectorHost.Start(_pki);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var forged = new byte[64];
        forged[0] = 25;
        forged[1] = 0xFE;
        forged[2] = 0xFD;
        await stranger.SendToAsync(forged, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, collector.Port));

        await Eventually.TrueAsync(() => collector.Collector.Counters.IgnoredDatagrams == 1, Generous, () => $"counters: {collector.Collector.Counters}");
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.EncryptOnly(), CancellationToken.None);
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous));
    }

    public void Dispose() => _pki.Dispose();
}
