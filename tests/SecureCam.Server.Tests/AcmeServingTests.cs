using System.Net;
using SecureCam.Acme;
using SecureCam.Server.Streaming;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The server with ACME on, against a real Pebble issuing 100-second certificates (renewal falls due
/// 50 s after each issuance): first certificate via http-01 on the plain listener or tls-alpn-01 on
/// the HTTPS port, the SNI split, renewal with no dropped connection, and a CA outage.
/// </summary>
[Collection(AcmeCollection.Name)]
public sealed class AcmeServingTests
{
    private const int ValiditySeconds = 100;

    /// <summary>A first issuance plus one renewal (due 50 s in) on a busy two-core machine.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(150);

    [SkippableFact]
    public async Task Http01_gets_the_certificate_serves_it_by_sni_and_renews_it_under_a_live_stream()
    {
        Peer.Require("openssl");
        await using var pebble = await PebbleServer.StartAsync(new PebbleOptions { CertificateValiditySeconds = ValiditySeconds });
        await using var server = await AcmeServer.StartAsync(pebble, ChallengeTypes.Http01);

        // Meanwhile the local CA's certificate answers for the domain too.
        await server.WaitUntilAsync(s => s.State == AcmeManagerState.Valid && s.CertificateSerial is not null, Generous);
        var first = server.Manager.Status.CertificateSerial!;

        // The SNI split: the ACME domain gets the ACME certificate, local names and no SNI the local CA's.
        using var acme = await server.ServerCertificateAsync(AcmeServer.Domain);
        Assert.Equal(first, acme.SerialNumber);
        Assert.DoesNotContain("SecureCam Test CA", acme.Issuer, StringComparison.Ordinal);
        using var local = await server.ServerCertificateAsync("localhost");
        Assert.Contains("SecureCam Test CA", local.Issuer, StringComparison.Ordinal);
        using var bare = await server.ServerCertificateAsync("127.0.0.1");
        Assert.Equal(local.SerialNumber, bare.SerialNumber);

        // openssl, an independent client: the served chain verifies against Pebble's root, and the
        // CertificateRequest still names the local CA.
        var (root, _) = await pebble.GetIssuersAsync();
        var rootPath = Path.Combine(server.Pki.Files, "pebble-root.pem");
        await File.WriteAllTextAsync(rootPath, root);
        var openssl = await OpenSslCli.RunAsync("s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", AcmeServer.Domain,
            "-CAfile", rootPath, "-verify_return_error", "-cert", server.Viewer.CertificatePath, "-key", server.Viewer.KeyPath, "-brief");
        Assert.True(openssl.ExitCode == 0, openssl.ToString());
        Assert.Contains("Verification: OK", openssl.Combined, StringComparison.Ordinal);

        // Stored under the PKI folder, the key readable by the owner only.
        var key = Path.Combine(server.AcmeDirectory, "certificates", AcmeServer.Domain, CertificateFiles.KeyFileName);
        Assert.True(File.Exists(key), key);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        var status = await server.AcmeStatusAsync();
        Assert.Equal("valid", status.GetProperty("state").GetString());
        Assert.Equal(first, status.GetProperty("serial").GetString());
        Assert.Equal(ChallengeTypes.Http01, status.GetProperty("challenge").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.String, JsonValueKindOf(status, "renewalDue"));

        // A stream opened on the ACME certificate, and a client that keeps connecting, across the swap.
        using var streamClient = server.DomainClient();
        using var response = await streamClient.GetAsync(new Uri("/video", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frames = 0L;
        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            var reader = new MjpegReader(await response.Content.ReadAsStreamAsync(), MjpegWriter.Boundary);
            while (await reader.ReadPartAsync(stopReading.Token) is not null)
            {
                Interlocked.Increment(ref frames);
            }
        });

        var connections = 0;
        var refused = new List<string>();
        await Eventually.TrueAsync(
            async () =>
            {
                // A new connection each time (a new handshake), with the viewer's client certificate.
                using var fresh = await server.ServerCertificateAsync(AcmeServer.Domain);
                using var http = server.DomainClient();
                var answer = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                connections++;
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    refused.Add($"{answer.StatusCode} with serial {fresh.SerialNumber}");
                }

                return fresh.SerialNumber != first;
            },
            Generous,
            () => $"the served serial stayed {first}; status {server.Manager.Status}");

        var second = server.Manager.Status.CertificateSerial;
        Assert.NotEqual(first, second);
        Assert.Empty(refused);
        Assert.True(connections > 1, $"only {connections} connections");
        Assert.Equal(second, (await server.AcmeStatusAsync()).GetProperty("serial").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, JsonValueKindOf(await server.AcmeStatusAsync(), "lastRenewal"));

        // The stream opened before the swap is still delivering frames on its old handshake.
        var before = Interlocked.Read(ref frames);
        await Eventually.TrueAsync(() => Interlocked.Read(ref frames) >= before + 5 || reading.IsCompleted, TimeSpan.FromSeconds(30));
        Assert.False(reading.IsCompleted, $"the stream ended: {reading.Exception?.GetBaseException().Message}");
        Assert.True(Interlocked.Read(ref frames) >= before + 5);
        await stopReading.CancelAsync();
        response.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => reading);
    }

    [SkippableFact]
    public async Task Tls_alpn01_on_the_https_port_and_a_ca_outage_keeps_the_old_certificate_until_the_ca_is_back()
    {
        await using var pebble = await PebbleServer.StartAsync(new PebbleOptions { CertificateValiditySeconds = ValiditySeconds });
        await using var server = await AcmeServer.StartAsync(pebble, ChallengeTypes.TlsAlpn01);
        await server.WaitUntilAsync(s => s.State == AcmeManagerState.Valid && s.CertificateSerial is not null, Generous);
        var first = server.Manager.Status.CertificateSerial!;
        using (var served = await server.ServerCertificateAsync(AcmeServer.Domain))
        {
            Assert.Equal(first, served.SerialNumber);
        }

        // The CA goes away before renewal falls due: attempts fail, back off, and say so.
        await pebble.StopAsync();
        await server.WaitUntilAsync(s => s.ConsecutiveFailures >= 2 && s.LastError is not null && s.NextAttempt is not null, Generous);
        var status = await server.AcmeStatusAsync();
        Assert.Equal("failing", status.GetProperty("state").GetString());
        Assert.Contains("cannot be reached", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(status.GetProperty("failures").GetInt32() >= 2);
        Assert.True(status.GetProperty("nextTry").GetDateTimeOffset() > status.GetProperty("lastErrorAt").GetDateTimeOffset());
        Assert.Equal(first, status.GetProperty("serial").GetString());
        Assert.Contains(server.Logs.Lines, l => l.Contains("acme: certificate for " + AcmeServer.Domain + " failed", StringComparison.Ordinal)
                                                && l.Contains("still serving the ACME certificate " + first, StringComparison.Ordinal)
                                                && l.Contains("next try at", StringComparison.Ordinal));

        // Meanwhile the old certificate keeps serving.
        using (var served = await server.ServerCertificateAsync(AcmeServer.Domain))
        {
            Assert.Equal(first, served.SerialNumber);
        }

        // The CA is back (a new Pebble: new roots, no accounts): the next attempt renews.
        await pebble.StartAgainAsync();
        await server.WaitUntilAsync(s => s.State == AcmeManagerState.Valid && s.CertificateSerial != first && s.ConsecutiveFailures == 0, Generous);
        using (var served = await server.ServerCertificateAsync(AcmeServer.Domain))
        {
            Assert.Equal(server.Manager.Status.CertificateSerial, served.SerialNumber);
        }

        var after = await server.AcmeStatusAsync();
        Assert.Equal("valid", after.GetProperty("state").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, JsonValueKindOf(after, "lastError"));
    }

    private static System.Text.Json.JsonValueKind JsonValueKindOf(System.Text.Json.JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind : System.Text.Json.JsonValueKind.Undefined;
}
