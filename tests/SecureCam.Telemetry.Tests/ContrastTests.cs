using System.Text.Json;

namespace SecureCam.Telemetry.Tests;

/// <summary>
/// The difference between the modes, shown against real collectors: a rogue collector (its certificate from another
/// CA, same names) is accepted by encrypt-only, which says so, and refused by verified with bad_certificate.
/// </summary>
public sealed class ContrastTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TelemetryCertificates _pki = new();

    [Fact]
    public async Task Encrypt_only_accepts_a_rogue_collector_and_says_the_peer_is_not_verified()
    {
        await using var rogue = CollectorHost.Start(_pki, rogue: true);

        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", rogue.Port, _pki.EncryptOnly(), CancellationToken.None);

        Assert.False(connection.Peer.Verified);
        Assert.Null(connection.Peer.VerifiedName);
        Assert.Equal(_pki.RogueCollector.Fingerprint, connection.Peer.Fingerprint);
        Assert.StartsWith("peer not verified", connection.Peer.Describe(), StringComparison.Ordinal);
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous), "the rogue collector got and acknowledged the record");
    }

    [Fact]
    public async Task Verified_refuses_the_rogue_collector_with_bad_certificate()
    {
        await using var rogue = CollectorHost.Start(_pki, rogue: true);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", rogue.Port, _pki.Verified("localhost"), CancellationToken.None));

        Assert.Equal("bad_certificate", refused.Alert);
        Assert.True(refused.SentByUs);
        Assert.Contains("does not chain to the given CA", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(_pki.RogueCollector.Fingerprint, refused.Peer!.Fingerprint);
        await rogue.WaitForLogAsync("the camera refused us with alert bad_certificate", Generous);
        Assert.Empty(rogue.Output.Lines);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Verified_accepts_our_collector_by_dns_or_ip_name(string expectedName)
    {
        await using var collector = CollectorHost.Start(_pki);

        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(expectedName), CancellationToken.None);

        Assert.True(connection.Peer.Verified);
        Assert.Equal(expectedName, connection.Peer.VerifiedName);
        Assert.Equal(_pki.Collector.Fingerprint, connection.Peer.Fingerprint);
        Assert.True(Exchange.SendAndAwaitAck(connection, 7, Generous));
    }

    [Fact]
    public async Task Verified_refuses_our_own_collector_under_a_wrong_name()
    {
        await using var collector = CollectorHost.Start(_pki);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified("collector.example"), CancellationToken.None));

        Assert.Equal("bad_certificate", refused.Alert);
        Assert.Contains("not for \"collector.example\"", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collector_requiring_client_certificates_refuses_a_camera_without_one()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(), CancellationToken.None));

        Assert.False(refused.SentByUs);
        Assert.Equal("handshake_failure", refused.Alert);
        await collector.WaitForLogAsync("the camera showed no device certificate", Generous);
    }

    [Fact]
    public async Task A_collector_requiring_client_certificates_refuses_a_foreign_device_certificate()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.ForeignCameraIdentity), CancellationToken.None));

        Assert.False(refused.SentByUs);
        Assert.Equal("bad_certificate", refused.Alert);
        await collector.WaitForLogAsync("device certificate refused", Generous);
    }

    [Fact]
    public async Task A_collector_requiring_client_certificates_refuses_a_viewer_certificate_from_our_own_ca()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.ViewerIdentity), CancellationToken.None));

        Assert.False(refused.SentByUs);
        Assert.Equal("bad_certificate", refused.Alert);
        await collector.WaitForLogAsync("is a viewer certificate, not a camera's", Generous);
    }

    [Fact]
    public async Task Mutual_dtls_writes_records_under_the_verified_camera_name()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);

        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);

        Assert.True(connection.DeviceCertificateSent);
        Assert.True(Exchange.SendAndAwaitAck(connection, 3, Generous));
        using var line = JsonDocument.Parse(Assert.Single(collector.Output.Lines));
        Assert.Equal("cam-1", line.RootElement.GetProperty("camera").GetString());
        Assert.Equal(_pki.Camera.Fingerprint, line.RootElement.GetProperty("fingerprint").GetString());
        Assert.Equal(3, line.RootElement.GetProperty("record").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_camera_without_certificate_is_written_as_unverified()
    {
        await using var collector = CollectorHost.Start(_pki, askClientCert: true);

        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.EncryptOnly(), CancellationToken.None);

        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous));
        using var line = JsonDocument.Parse(Assert.Single(collector.Output.Lines));
        Assert.Equal("unverified", line.RootElement.GetProperty("camera").GetString());
    }

    public void Dispose() => _pki.Dispose();
}
