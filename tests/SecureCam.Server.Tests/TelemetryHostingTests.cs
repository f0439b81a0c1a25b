using System.Net;
using System.Text.Json;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The server hosting DTLS telemetry, end to end: a real Kestrel server (synthetic camera) sending to the library's real
/// collector on loopback UDP, observed through the collector's records, /api/status and the log.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TelemetryHostingTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new("securecam-telemetry-hosting");

    [Fact]
    public async Task Verified_mode_with_a_device_identity_from_the_pki_delivers_records_under_the_cameras_verified_name()
    {
        InProcessCollector? collector = null;
        var server = new ServerFixture(pki =>
        {
            using (var ca = pki.OpenCa())
            {
                ca.IssueServer("collector", ["collector.lan"], [IPAddress.Loopback]);
                ca.IssueDevice("cam-1");
            }

            collector = InProcessCollector.Start(pki.Store.ChainPath("collector"), pki.Store.KeyPath("collector"), clientCa: pki.CaCertificatePath);
            return new Dictionary<string, string?>
            {
                ["Telemetry:Collector"] = collector.Address,
                ["Telemetry:ExpectedName"] = "collector.lan",
                ["Telemetry:DeviceName"] = "cam-1",
                ["Telemetry:Interval"] = "00:00:00.250",
            };
        });
        try
        {
            await server.InitializeAsync();

            var telemetry = await WaitForTelemetryAsync(server, t => t.GetProperty("connected").GetBoolean() && t.GetProperty("acknowledged").GetInt64() > 0);

            Assert.Equal("verified", telemetry.GetProperty("mode").GetString());
            Assert.Equal("collector.lan", telemetry.GetProperty("peer").GetString());
            Assert.True(telemetry.GetProperty("peerVerified").GetBoolean());
            Assert.True(telemetry.GetProperty("sent").GetInt64() > 0);
            Assert.Equal("verified collector collector.lan", telemetry.GetProperty("summary").GetString());
            await Eventually.TrueAsync(() => collector!.Lines.Count > 0, Generous);
            using var line = JsonDocument.Parse(collector!.Lines[0]);
            Assert.Equal("cam-1", line.RootElement.GetProperty("camera").GetString());
            var record = line.RootElement.GetProperty("record");
            Assert.Equal("cam-1", record.GetProperty("camera").GetString());
            Assert.InRange(record.GetProperty("serverCertDaysLeft").GetInt32(), 1, 3650);
            Assert.InRange(record.GetProperty("deviceCertDaysLeft").GetInt32(), 1, 3650);
            Assert.True(record.TryGetProperty("viewers", out _));
            Assert.True(record.TryGetProperty("bytesServed", out _));
            Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("encrypt-only", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
            if (collector is not null)
            {
                await collector.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Encrypt_only_sends_to_a_rogue_collector_but_status_and_log_say_the_peer_is_not_verified()
    {
        await using var rogue = StartRogueCollector(out var rogueCertificate);
        var server = new ServerFixture(_ => new Dictionary<string, string?>
        {
            ["Telemetry:Collector"] = rogue.Address,
            ["Telemetry:Mode"] = "encrypt-only",
            ["Telemetry:Interval"] = "00:00:00.250",
        });
        try
        {
            await server.InitializeAsync();

            var telemetry = await WaitForTelemetryAsync(server, t => t.GetProperty("connected").GetBoolean() && t.GetProperty("acknowledged").GetInt64() > 0);

            Assert.Equal("encrypt-only", telemetry.GetProperty("mode").GetString());
            Assert.Equal("peer not verified", telemetry.GetProperty("peer").GetString());
            Assert.False(telemetry.GetProperty("peerVerified").GetBoolean());
            Assert.Equal(rogueCertificate.Fingerprint, telemetry.GetProperty("peerFingerprint").GetString());
            Assert.Equal($"encrypted, collector NOT verified (fingerprint {rogueCertificate.Fingerprint})", telemetry.GetProperty("summary").GetString());
            await Eventually.TrueAsync(() => rogue.Lines.Count > 0, Generous);
            Assert.Contains(server.Logs.Lines, l => l.StartsWith("SecureCam.Telemetry Warning: warning: telemetry mode encrypt-only", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verified_mode_refuses_a_rogue_collector_with_bad_certificate_while_video_keeps_flowing()
    {
        await using var rogue = StartRogueCollector(out _);
        var server = new ServerFixture(_ => new Dictionary<string, string?>
        {
            ["Telemetry:Collector"] = rogue.Address,
            ["Telemetry:ExpectedName"] = "collector.lan",
            ["Telemetry:Interval"] = "00:00:00.250",
        });
        try
        {
            await server.InitializeAsync();
            await using var video = await VideoClient.OpenAsync(server, server.Viewer);

            var telemetry = await WaitForTelemetryAsync(server, t => t.GetProperty("lastError").ValueKind == JsonValueKind.String);

            Assert.Contains("bad_certificate", telemetry.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.False(telemetry.GetProperty("connected").GetBoolean());
            Assert.Equal(0, telemetry.GetProperty("sent").GetInt64());
            Assert.False(telemetry.GetProperty("peerVerified").GetBoolean());
            Assert.StartsWith("verified mode, no verified collector yet", telemetry.GetProperty("summary").GetString(), StringComparison.Ordinal);

            // The camera is untouched: frames keep arriving while the reporter retries the refused collector.
            var before = video.Frames;
            await Eventually.TrueAsync(() => video.Frames >= before + 20, Generous, () => $"only {video.Frames - before} frames after the refusal");
            Assert.Empty(rogue.Lines);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_telemetry_setting_stops_serve_with_one_line_naming_the_key()
    {
        using var pki = new TestPki();
        var result = await ExternalProcess.RunAsync(
            Path.Combine(AppContext.BaseDirectory, "securecam"),
            ["serve", "--listen", $"https://127.0.0.1:{FreePort.Tcp()}", "--pki", pki.Directory],
            environment: new Dictionary<string, string?>
            {
                ["SECURECAM__TELEMETRY__COLLECTOR"] = "127.0.0.1:5684",
                ["SECURECAM__TELEMETRY__MODE"] = "sometimes",
            },
            timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("securecam serve: Telemetry:Mode: 'sometimes' is not encrypt-only or verified", result.StandardError.Trim());
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A man in the middle: a collector with the expected names, but its certificate comes from a "Rogue CA".</summary>
    private InProcessCollector StartRogueCollector(out TestCertificate certificate)
    {
        using var rogue = TestPki.InMemory("Rogue CA");
        certificate = rogue.IssueServer("rogue-collector", "collector.lan", "127.0.0.1");
        var (cert, key) = certificate.Write(_dir.Path, "rogue");
        return InProcessCollector.Start(cert, key);
    }

    private static async Task<JsonElement> WaitForTelemetryAsync(ServerFixture server, Func<JsonElement, bool> condition)
    {
        using var http = server.CreateClient(server.Viewer);
        JsonElement last = default;
        await Eventually.TrueAsync(
            async () =>
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
                last = status.RootElement.GetProperty("telemetry").Clone();
                return condition(last);
            },
            Generous,
            () => "telemetry state: " + last);
        return last;
    }
}
