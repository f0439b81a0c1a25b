using System.Text;
using Microsoft.Extensions.Time.Testing;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>Our client against an independent DTLS 1.2 server: `openssl s_server -dtls1_2`.</summary>
public sealed class OpenSslServerInteropTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TelemetryCertificates _pki = new();

    [SkippableFact]
    public async Task Verified_client_with_device_certificate_against_openssl_s_server_requiring_one()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var server = await StartServerAsync(openssl, port, "-Verify", "1", "-CAfile", _pki.CaFile);

        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", port, _pki.Verified("127.0.0.1", _pki.CameraIdentity), CancellationToken.None);
        connection.Send(Encoding.UTF8.GetBytes("{\"seq\":1,\"message\":\"hello from securecam\"}\n"));

        Assert.True(connection.Peer.Verified);
        Assert.True(connection.DeviceCertificateSent);
        await server.WaitForOutputAsync("hello from securecam", Generous);
        Assert.Contains("cam-1", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Encrypt_only_client_against_openssl_s_server()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var server = await StartServerAsync(openssl, port);

        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", port, _pki.EncryptOnly(), CancellationToken.None);
        connection.Send(Encoding.UTF8.GetBytes("{\"seq\":1,\"message\":\"encrypt-only hello\"}\n"));

        Assert.False(connection.Peer.Verified);
        Assert.Equal(_pki.Collector.Fingerprint, connection.Peer.Fingerprint);
        await server.WaitForOutputAsync("encrypt-only hello", Generous);
        Assert.Contains("CIPHER is ECDHE-ECDSA-AES", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Openssl_s_server_requiring_a_client_certificate_refuses_a_camera_without_one()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var server = await StartServerAsync(openssl, port, "-Verify", "1", "-CAfile", _pki.CaFile);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", port, _pki.Verified("127.0.0.1"), CancellationToken.None));

        Assert.False(refused.SentByUs);
    }

    [SkippableFact]
    public async Task Reporter_notices_a_peer_that_never_acknowledges()
    {
        // s_server completes the handshake but is no collector: no acknowledgement ever comes back.
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var server = await StartServerAsync(openssl, port);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new TelemetryOptions
        {
            Enabled = true,
            Collector = $"127.0.0.1:{port}",
            Mode = TelemetryModeNames.Verified,
            CaFile = _pki.CaFile,
            Interval = TimeSpan.FromMilliseconds(200),
            AckTimeout = TimeSpan.FromSeconds(2),
            MaxBackoff = TimeSpan.FromSeconds(1),
        };
        var reporter = new TelemetryReporter(options, () => new TelemetrySnapshot(), (_, m) => log.Enqueue(m), clock);
        using var stop = new CancellationTokenSource();

        var run = reporter.RunAsync(stop.Token);

        // The acknowledgement timeout runs on the reporter's clock: once a record is out, its wait is passed at once.
        await Eventually.TrueAsync(() => reporter.State.Sent >= 1, Generous, () => reporter.State + "\n" + string.Join("\n", log));
        clock.Advance(options.AckTimeout + TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(
            () => reporter.State.LastError?.Contains("no acknowledgement", StringComparison.Ordinal) == true,
            Generous,
            () => reporter.State + "\n" + string.Join("\n", log));
        Assert.True(reporter.State.Sent >= 1);
        await stop.CancelAsync();
        await run.WaitAsync(Generous);
    }

    public void Dispose() => _pki.Dispose();

    private async Task<RunningProcess> StartServerAsync(string openssl, int port, params string[] extra)
    {
        var server = ExternalProcess.Start(
            openssl,
            ["s_server", "-dtls1_2", "-accept", $"127.0.0.1:{port}", "-cert", _pki.CollectorFiles.Cert, "-key", _pki.CollectorFiles.Key, .. extra]);
        await server.WaitForOutputAsync("ACCEPT", Generous);
        return server;
    }
}
