using SecureCam.Acme;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// tls-alpn-01 inside the server's own handshake: a validation connection (ALPN acme-tls/1, a pending
/// challenge for its SNI) gets the challenge certificate and no CertificateRequest; every other
/// connection still must present a client certificate. Also: the reachability warning and a failing
/// CA in /api/status. No CA is needed: the directory is a closed port, and the challenge is put into the
/// server's own challenge store as the certificate manager would.
/// </summary>
[Collection(AcmeCollection.Name)]
public sealed class AcmeChallengeHandshakeTests
{
    [SkippableFact]
    public async Task A_validation_connection_gets_the_challenge_certificate_without_a_certificate_request_and_others_are_still_refused()
    {
        Peer.Require("openssl");
        await using var server = await AcmeServer.StartAsync(pebble: null, ChallengeTypes.TlsAlpn01);
        var challenges = server.Service<TlsAlpn01CertificateStore>();
        await challenges.PresentAsync(AcmeIdentifier.For(AcmeServer.Domain), "token", "token.thumbprint", CancellationToken.None);

        var validation = await OpenSslCli.RunAsync("s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", AcmeServer.Domain,
            "-alpn", "acme-tls/1", "-msg", "-showcerts");
        Assert.Contains("ALPN protocol: acme-tls/1", validation.Combined, StringComparison.Ordinal);
        Assert.DoesNotContain("CertificateRequest", validation.Combined, StringComparison.Ordinal);
        var leaf = Path.Combine(server.Pki.Files, "challenge.pem");
        await File.WriteAllTextAsync(leaf, FirstPem(validation.StandardOutput));
        var text = await OpenSslCli.RunOkAsync("x509", "-in", leaf, "-noout", "-text");
        Assert.Contains("1.3.6.1.5.5.7.1.31: critical", text, StringComparison.Ordinal);
        Assert.Contains("DNS:" + AcmeServer.Domain, text, StringComparison.Ordinal);

        // After the validation handshake the server closes: nothing else is spoken on such a connection.
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = AcmeServer.Domain,
                ApplicationProtocols = [TlsAlpn01CertificateStore.Protocol],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            Assert.Equal(TlsAlpn01CertificateStore.Protocol, tls.NegotiatedApplicationProtocol);
            // Well inside Kestrel's own 10 s request-headers timeout, which would also close an idle HTTP connection.
            using var closed = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var read = await tls.ReadAsync(new byte[16], closed.Token);
            Assert.Equal(0, read);
        }

        // The same name without acme-tls/1: the normal certificate, and a CertificateRequest naming the local CA.
        var normal = await OpenSslCli.RunAsync("s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", AcmeServer.Domain,
            "-alpn", "http/1.1", "-msg");
        Assert.Contains("CertificateRequest", normal.Combined, StringComparison.Ordinal);
        Assert.Contains("SecureCam Test CA", normal.Combined, StringComparison.Ordinal);

        // Without a client certificate nothing is served, over any name.
        using var anonymous = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(new Uri($"https://localhost:{server.Port}/healthz")));

        // acme-tls/1 for a name with no pending challenge is no way around the client certificate.
        await challenges.CleanupAsync(AcmeIdentifier.For(AcmeServer.Domain), "token", CancellationToken.None);
        var stale = await OpenSslCli.RunAsync("s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", AcmeServer.Domain,
            "-alpn", "acme-tls/1", "-msg");
        Assert.DoesNotContain("ALPN protocol: acme-tls/1", stale.Combined, StringComparison.Ordinal);
        Assert.True(stale.ExitCode != 0, stale.ToString());
    }

    [Fact]
    public async Task Behind_cgnat_the_start_warns_and_names_the_alternatives_and_status_shows_the_failing_ca()
    {
        await using var server = await AcmeServer.StartAsync(pebble: null, ChallengeTypes.TlsAlpn01, new() { ["Acme:WanIp"] = "100.64.12.34" });
        await server.WaitUntilAsync(s => s.ConsecutiveFailures >= 1 && s.NextAttempt is not null, TimeSpan.FromSeconds(60));

        var warning = Assert.Single(server.Logs.Lines, l => l.Contains("Warning: acme: ACME is on for", StringComparison.Ordinal));
        Assert.Contains("(cgnat)", warning, StringComparison.Ordinal);
        Assert.Contains("100.64.12.34", warning, StringComparison.Ordinal);
        Assert.Contains("[tunnel]", warning, StringComparison.Ordinal);
        Assert.Contains("[static-ipv4]", warning, StringComparison.Ordinal);
        Assert.Contains("[ipv6]", warning, StringComparison.Ordinal);

        var status = await server.AcmeStatusAsync();
        Assert.Equal("cgnat", status.GetProperty("reachability").GetString());
        Assert.Contains("carrier-grade NAT", status.GetProperty("warning").GetString(), StringComparison.Ordinal);
        Assert.Equal("failing", status.GetProperty("state").GetString());
        Assert.Contains("cannot be reached", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("serial").ValueKind);

        // No ACME certificate yet: the domain is served the local CA's certificate meanwhile.
        using var served = await server.ServerCertificateAsync(AcmeServer.Domain);
        Assert.Contains("SecureCam Test CA", served.Issuer, StringComparison.Ordinal);
    }

    private static string FirstPem(string text)
    {
        const string Begin = "-----BEGIN CERTIFICATE-----";
        const string End = "-----END CERTIFICATE-----";
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        Assert.True(start >= 0, "no certificate in:\n" + text);
        var end = text.IndexOf(End, start, StringComparison.Ordinal);
        return text[start..(end + End.Length)] + "\n";
    }
}
