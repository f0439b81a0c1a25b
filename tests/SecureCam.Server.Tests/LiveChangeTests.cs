using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>Changes while the server runs: revocation, a renewed server certificate, a stalled viewer.</summary>
[Collection(ServerCollection.Name)]
public sealed class LiveChangeTests(ServerFixture server)
{
    [SkippableFact]
    public async Task Revocation_refuses_the_next_handshake_within_2_s_and_cuts_an_open_stream_within_5_s()
    {
        Peer.Require("curl");
        var client = server.Pki.IssueClient("live-revoke");
        await using var video = await VideoClient.OpenAsync(server, client);
        await video.WaitForMoreFramesAsync(5, TimeSpan.FromSeconds(20));

        var revokedAt = Stopwatch.GetTimestamp();
        server.Pki.Revoke("live-revoke");

        // A fresh connection each time, so each attempt is a full handshake.
        await Eventually.TrueAsync(async () => !await HandshakeSucceedsAsync(client), TimeSpan.FromSeconds(5));
        var refusedAfter = Stopwatch.GetElapsedTime(revokedAt);
        Assert.True(refusedAfter <= TimeSpan.FromSeconds(2), $"next handshake refused only after {refusedAfter.TotalSeconds:0.00} s");

        await Eventually.TrueAsync(() => video.Reading.IsCompleted, TimeSpan.FromSeconds(10));
        var cutAfter = Stopwatch.GetElapsedTime(revokedAt);
        Assert.True(cutAfter <= TimeSpan.FromSeconds(5), $"open stream cut only after {cutAfter.TotalSeconds:0.00} s");

        await server.WaitForAuditAsync(l => l.Contains("stream-end name=\"live-revoke\"", StringComparison.Ordinal) && l.Contains("reason=\"certificate revoked\"", StringComparison.Ordinal));
        await server.WaitForAuditAsync(l => l.Contains("reason=\"revoked\"", StringComparison.Ordinal) && l.Contains("serial=" + client.Certificate.SerialNumber, StringComparison.Ordinal));

        // curl agrees, independently.
        using var temp = new TempDirectory();
        var result = await server.CurlAsync(client, "/snapshot", "-o", temp.Combine("x.jpg"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.False(File.Exists(temp.Combine("x.jpg")) && new FileInfo(temp.Combine("x.jpg")).Length > 0);
    }

    [Fact]
    public async Task A_renewed_server_certificate_is_served_without_dropping_an_open_stream()
    {
        var before = await ServerCertificateSerialAsync();
        var client = server.Pki.IssueClient("swap-watcher");
        await using var video = await VideoClient.OpenAsync(server, client);
        await video.WaitForMoreFramesAsync(5, TimeSpan.FromSeconds(20));

        using (var ca = server.Pki.OpenCa())
        {
            ca.Renew("server");
        }

        string? after = null;
        await Eventually.TrueAsync(async () => (after = await ServerCertificateSerialAsync()) != before, TimeSpan.FromSeconds(10));
        Assert.NotNull(after);

        // The stream opened before the swap keeps flowing afterwards.
        await video.WaitForMoreFramesAsync(30, TimeSpan.FromSeconds(20));
        Assert.False(video.Reading.IsCompleted, "the open stream ended when the server certificate changed");
    }

    [Fact]
    public async Task A_stalled_viewer_does_not_lower_a_fast_viewers_frame_rate()
    {
        var slow = server.Pki.IssueClient("stalled");
        using var stalled = await OpenStalledStreamAsync(slow);

        var fast = server.Pki.IssueClient("fast");
        await using var video = await VideoClient.OpenAsync(server, fast);
        await video.WaitForMoreFramesAsync(3, TimeSpan.FromSeconds(20));
        var fps = await video.BestFrameRateAsync(TimeSpan.FromSeconds(5), attempts: 3, target: 25);
        Assert.True(fps >= 25, $"the fast viewer got {fps:0.0} fps (best 5-second window) next to a stalled one");
        Assert.True(stalled.Connected, "the stalled viewer should still be connected (it is just not reading)");
    }

    private async Task<bool> HandshakeSucceedsAsync(ClientFiles client)
    {
        using var http = server.CreateClient(client);
        try
        {
            using var response = await http.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<string> ServerCertificateSerialAsync()
    {
        string? serial = null;
        using var http = server.CreateClient(server.Viewer, onServerCertificate: c => serial = c.SerialNumber);
        using var response = await http.GetAsync("/healthz");
        response.EnsureSuccessStatusCode();
        return serial!;
    }

    /// <summary>A viewer that asks for /video over a tiny receive window and then never reads.</summary>
    private async Task<TcpClient> OpenStalledStreamAsync(ClientFiles client)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 2048 };
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = new X509CertificateCollection { client.Certificate },
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        await ssl.WriteAsync(Encoding.ASCII.GetBytes("GET /video HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        await ssl.FlushAsync();
        var first = new byte[1];
        await ssl.ReadExactlyAsync(first);
        return tcp;
    }
}
