using System.Globalization;
using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>Debian's Prometheus scrapes `securecam serve` over mutual TLS with a monitor certificate from `securecam-pki`.</summary>
public sealed class MetricsTests
{
    [SkippableFact]
    public async Task Prometheus_scrapes_metrics_with_a_monitor_certificate_and_a_viewer_certificate_gets_403()
    {
        var prometheus = Peer.Require("prometheus");
        var curl = Peer.Require("curl");
        using var folder = new TempDirectory("securecam-metrics");
        var pki = folder.Combine("pki");
        await Programs.InitServerPkiAsync(pki);
        await Programs.PkiOkAsync(pki, "issue-client", "scraper", "--role", "monitor", "--p12-password", "scraper-password");
        await Programs.PkiOkAsync(pki, "issue-client", "alice", "--p12-password", "alice-password");
        var port = FreePort.Tcp();
        await using var server = await Programs.ServeAsync(folder.Path, pki, port, 320, 240);

        var ca = Path.Combine(pki, "ca.crt");
        string[] Identity(string name) => ["--cert", Path.Combine(pki, "issued", name, "cert.pem"), "--key", Path.Combine(pki, "issued", name, "key.pem")];
        var baseUrl = $"https://127.0.0.1:{port}";
        Assert.Equal("403", await StatusAsync(curl, [.. Identity("alice")], ca, baseUrl + "/metrics"));
        Assert.Equal("403", await StatusAsync(curl, [.. Identity("scraper")], ca, baseUrl + "/snapshot"));
        Assert.Equal("403", await StatusAsync(curl, [.. Identity("scraper")], ca, baseUrl + "/video"));
        Assert.Equal("403", await StatusAsync(curl, [.. Identity("scraper")], ca, baseUrl + "/api/status"));
        Assert.Equal("200", await StatusAsync(curl, [.. Identity("scraper")], ca, baseUrl + "/healthz"));
        Assert.Equal("200", await StatusAsync(curl, [.. Identity("alice")], ca, baseUrl + "/snapshot"));

        // A refusal to count: a handshake without a client certificate.
        var refused = await ExternalProcess.RunAsync(curl, ["-sS", "--cacert", ca, "--max-time", "10", baseUrl + "/healthz"]);
        Assert.NotEqual(0, refused.ExitCode);

        var prometheusPort = FreePort.Tcp();
        var config = folder.Combine("prometheus.yml");
        string Job(string job, string client) => $"""
              - job_name: {job}
                scheme: https
                tls_config:
                  ca_file: {ca}
                  cert_file: {Path.Combine(pki, "issued", client, "cert.pem")}
                  key_file: {Path.Combine(pki, "issued", client, "key.pem")}
                static_configs:
                  - targets: ['127.0.0.1:{port}']

            """;
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:

            """ + Job("camera", "scraper") + Job("camera-as-viewer", "alice"));
        await using var scraper = ExternalProcess.Start(
            prometheus,
            [$"--config.file={config}", $"--storage.tsdb.path={folder.Combine("tsdb")}", $"--web.listen-address=127.0.0.1:{prometheusPort}"],
            folder.Path);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var frames = 0.0;
        await Eventually.TrueAsync(
            async () => (frames = await QueryAsync(http, "securecam_frames_captured_total{job=\"camera\"}") ?? 0) > 0,
            TimeSpan.FromSeconds(60),
            () => "Prometheus never read securecam_frames_captured_total\n" + scraper.Output);

        Assert.True(frames > 0);
        Assert.Equal(1, await QueryAsync(http, "up{job=\"camera\"}"));
        await Eventually.TrueAsync(async () => await QueryAsync(http, "up{job=\"camera-as-viewer\"}") == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(1, await QueryAsync(http, "securecam_tls_refusals_total{job=\"camera\",stage=\"handshake\",reason=\"no_certificate\"}"));
        var serverDays = await QueryAsync(http, "securecam_certificate_expiry_days{job=\"camera\",kind=\"server\"}");
        Assert.InRange(serverDays ?? 0, 396, 398);
        Assert.InRange(await QueryAsync(http, "securecam_certificate_expiry_days{job=\"camera\",kind=\"ca\"}") ?? 0, 3000, 4000);
        Assert.NotNull(await QueryAsync(http, "securecam_certificate_expiry_days{job=\"camera\",kind=\"client\",name=\"alice\"}"));
        Assert.NotNull(await QueryAsync(http, "securecam_crl_age_seconds{job=\"camera\"}"));
        Assert.True(await QueryAsync(http, "dotnet_process_memory_working_set_bytes{job=\"camera\"}") > 1_000_000);
        Assert.NotNull(await QueryAsync(http, "sum(dotnet_process_cpu_time_seconds_total{job=\"camera\"})"));
        Assert.NotNull(await QueryAsync(http, "sum(dotnet_gc_collections_total{job=\"camera\"})"));

        // Revocation: a stream of alice's is open; `securecam-pki revoke` must show as enforced, the stream as cut.
        var videoFile = folder.Combine("video.mjpeg");
        await using var stream = ExternalProcess.Start(curl, ["-sS", "--cacert", ca, .. Identity("alice"), "--no-buffer", "-o", videoFile, baseUrl + "/video"], folder.Path);
        await Eventually.TrueAsync(async () => await QueryAsync(http, "securecam_viewers{job=\"camera\"}") == 1, TimeSpan.FromSeconds(30));
        await Programs.PkiOkAsync(pki, "revoke", "alice");
        await stream.WaitForExitAsync(TimeSpan.FromSeconds(10));
        string[] afterRevoke =
        [
            "securecam_streams_ended_total{job=\"camera\",reason=\"certificate_revoked\"}",
            "securecam_revocation_enforcement_seconds_count{job=\"camera\",stage=\"stream_cut\"}",
            "securecam_revocation_enforcement_seconds_count{job=\"camera\",stage=\"crl_loaded\"}",

            // Prometheus keeps its connection open: alice's next scrape is refused at the request, not the handshake.
            "clamp_max(sum(securecam_tls_refusals_total{job=\"camera\",reason=\"revoked\"}), 1)",
            "absent(securecam_certificate_expiry_days{job=\"camera\",kind=\"client\",name=\"alice\"})",
        ];
        var seen = new double?[afterRevoke.Length];
        await Eventually.TrueAsync(
            async () =>
            {
                for (var i = 0; i < afterRevoke.Length; i++)
                {
                    seen[i] = await QueryAsync(http, afterRevoke[i]);
                }

                return seen.All(v => v == 1);
            },
            TimeSpan.FromSeconds(30),
            () => "after the revocation: " + string.Join(", ", afterRevoke.Zip(seen, (q, v) => $"{q} = {v?.ToString(CultureInfo.InvariantCulture) ?? "none"}")));
        Assert.Equal(1, await QueryAsync(http, "securecam_streams_started_total{job=\"camera\"}"));
        Assert.InRange(await QueryAsync(http, "securecam_revocation_enforcement_seconds_sum{job=\"camera\",stage=\"stream_cut\"}") ?? -1, 0, 10);

        Assert.Equal(0, await server.InterruptAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>The value of a PromQL expression that yields one sample, or null when it yields none (or Prometheus is not up yet).</summary>
    private static async Task<double?> QueryAsync(HttpClient http, string query)
    {
        string body;
        try
        {
            using var response = await http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            body = await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException)
        {
            return null;
        }

        using var document = JsonDocument.Parse(body);
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 1
            ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
            : null;
    }

    private static async Task<string> StatusAsync(string curl, string[] identity, string ca, string url)
    {
        var result = await ExternalProcess.RunAsync(curl, ["-sS", "--cacert", ca, .. identity, "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", url]);
        return result.StandardOutput.Trim();
    }
}
