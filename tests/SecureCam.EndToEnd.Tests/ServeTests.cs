using System.Diagnostics;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>`securecam serve` over a PKI made with `securecam-pki`, and revocation done with `securecam-pki revoke`.</summary>
public sealed class ServeTests
{
    [SkippableFact]
    public async Task Revoking_with_securecam_pki_refuses_the_next_handshake_and_cuts_an_open_stream()
    {
        var curl = Peer.Require("curl");
        using var folder = new TempDirectory("securecam-serve");
        var pki = folder.Combine("pki");
        await Programs.InitServerPkiAsync(pki);
        await Programs.PkiOkAsync(pki, "issue-client", "alice", "--p12-password", "alice-password");
        var port = FreePort.Tcp();
        await using var server = await Programs.ServeAsync(folder.Path, pki, port, 640, 360);

        string[] alice = ["-sS", "--cacert", Path.Combine(pki, "ca.crt"), "--cert", Path.Combine(pki, "issued", "alice", "cert.pem"), "--key", Path.Combine(pki, "issued", "alice", "key.pem")];
        var healthz = $"https://127.0.0.1:{port}/healthz";
        var ok = await ExternalProcess.RunAsync(curl, [.. alice, healthz]);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var videoFile = folder.Combine("video.mjpeg");
        await using var stream = ExternalProcess.Start(curl, [.. alice, "--no-buffer", "-o", videoFile, $"https://127.0.0.1:{port}/video"], folder.Path);
        await Eventually.TrueAsync(() => File.Exists(videoFile) && new FileInfo(videoFile).Length > 200_000, TimeSpan.FromSeconds(30));

        // Timed from the moment `securecam-pki revoke` returns, as the owner experiences it.
        await Programs.PkiOkAsync(pki, "revoke", "alice");
        var revoked = Stopwatch.GetTimestamp();
        await Eventually.TrueAsync(
            async () => (await ExternalProcess.RunAsync(curl, [.. alice, "--max-time", "5", healthz])).ExitCode != 0,
            TimeSpan.FromSeconds(10));
        var refusedAfter = Stopwatch.GetElapsedTime(revoked);
        await stream.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var cutAfter = Stopwatch.GetElapsedTime(revoked);

        Assert.True(refusedAfter <= TimeSpan.FromSeconds(2), $"handshake still accepted {refusedAfter.TotalSeconds:0.0} s after revoke");
        Assert.True(cutAfter <= TimeSpan.FromSeconds(5), $"stream still open {cutAfter.TotalSeconds:0.0} s after revoke");
        // The server's log reaches us through a pipe a moment after the refusal itself: wait for it.
        await server.WaitForOutputAsync("reason=\"certificate revoked\"", TimeSpan.FromSeconds(10));
        await server.WaitForOutputAsync("reason=\"revoked\"", TimeSpan.FromSeconds(10));
        Assert.Equal(0, await server.InterruptAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>
    /// A Raspberry Pi 4 has no AES instructions; the runtime's own switches hide them here
    /// (DOTNET_EnableAES on x64, DOTNET_EnableArm64Aes on Arm), so the detection is tested without that board.
    /// A Native AOT binary has its instruction set compiled in and ignores those switches: against it the
    /// setting Server:CipherPreference=chacha20 stands in, and the order on the wire is checked the same way.
    /// </summary>
    [SkippableFact]
    public async Task Without_aes_instructions_serve_puts_chacha20_first_and_says_why()
    {
        var openssl = Peer.Require("openssl");
        using var folder = new TempDirectory("securecam-serve");
        var pki = folder.Combine("pki");
        await Programs.InitServerPkiAsync(pki);
        await Programs.PkiOkAsync(pki, "issue-client", "alice", "--p12-password", "alice-password");
        var port = FreePort.Tcp();
        var native = Programs.BinDirectory is not null;
        Dictionary<string, string?> environment = native
            ? new() { ["SECURECAM__SERVER__CIPHERPREFERENCE"] = "chacha20" }
            : new() { ["DOTNET_EnableAES"] = "0", ["DOTNET_EnableArm64Aes"] = "0" };
        await using var server = await Programs.ServeAsync(folder.Path, pki, port, 640, 360, environment);
        Assert.Contains(native ? "ChaCha20-Poly1305 first (" : "ChaCha20-Poly1305 first (detected: no AES instructions)", server.Output, StringComparison.Ordinal);

        // The client prefers AES-128-GCM; the server's order wins.
        foreach (var (version, option, offer, expected) in new[]
        {
            ("-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"),
            ("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305"),
        })
        {
            var handshake = await ExternalProcess.RunAsync(
                openssl,
                [
                    "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", version, option, offer,
                    "-CAfile", Path.Combine(pki, "ca.crt"), "-cert", Path.Combine(pki, "issued", "alice", "cert.pem"), "-key", Path.Combine(pki, "issued", "alice", "key.pem"),
                ],
                standardInput: string.Empty,
                timeout: TimeSpan.FromSeconds(30));
            Assert.Contains($"Cipher is {expected}", handshake.Combined, StringComparison.Ordinal);
        }

        Assert.Equal(0, await server.InterruptAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_bad_setting_stops_serve_with_one_line_naming_the_key()
    {
        using var folder = new TempDirectory("securecam-serve");
        var fromCommandLine = await Programs.RunSecureCamAsync(["serve", "--listen", "ftp://0.0.0.0:21"], folder.Path);
        Assert.Equal(2, fromCommandLine.ExitCode);
        Assert.Equal("securecam serve: Server:Listen: 'ftp://0.0.0.0:21' must start with https://", fromCommandLine.StandardError.Trim());

        var fromEnvironment = await Programs.RunSecureCamAsync(
            ["serve"], folder.Path, Programs.CleanEnvironment(new() { ["SECURECAM__SERVER__MAXSTREAMSPERCERTIFICATE"] = "0" }));
        Assert.Equal(2, fromEnvironment.ExitCode);
        var line = Assert.Single(fromEnvironment.StandardError.Trim().Split('\n'));
        Assert.StartsWith("securecam serve: Server:MaxStreamsPerCertificate:", line, StringComparison.Ordinal);

        await File.WriteAllTextAsync(folder.Combine("appsettings.json"), """{ "Camera": { "Fps": 1000 } }""");
        var fromFile = await Programs.RunSecureCamAsync(["serve"], folder.Path);
        Assert.Equal(2, fromFile.ExitCode);
        Assert.Contains("Camera:Fps", Assert.Single(fromFile.StandardError.Trim().Split('\n')), StringComparison.Ordinal);
    }
}
