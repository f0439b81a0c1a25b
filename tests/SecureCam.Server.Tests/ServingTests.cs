using System.Net;
using System.Text.Json;
using SecureCam.Server.Streaming;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>What a client with a good certificate gets, checked with curl, openssl and HttpClient against a real Kestrel.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServingTests(ServerFixture server)
{
    [SkippableFact]
    public async Task Snapshot_with_a_client_certificate_is_a_jpeg()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("snap.jpg");
        var result = await server.CurlAsync(server.Viewer, "/snapshot", "-o", output, "-w", "%{http_code} %{content_type}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("200 image/jpeg", result.StandardOutput.Trim());
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.True(bytes.Length > 1000, $"only {bytes.Length} bytes");
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
    }

    [SkippableFact]
    public async Task Http2_works_and_status_is_valid_json()
    {
        var result = await server.CurlAsync(server.Viewer, "/api/status", "--http2", "-w", "\n%{http_version}");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.TrimEnd().Split('\n');
        Assert.Equal("2", lines[^1]);
        using var json = JsonDocument.Parse(string.Join('\n', lines[..^1]));
        var root = json.RootElement;
        Assert.Equal("synthetic", root.GetProperty("camera").GetProperty("source").GetString());
        Assert.True(root.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.True(root.GetProperty("serverCertificate").GetProperty("daysLeft").GetDouble() > 300);
        Assert.True(root.GetProperty("crl").GetProperty("present").GetBoolean());
        Assert.Equal("viewer", root.GetProperty("you").GetProperty("name").GetString());
        Assert.Equal("viewer", root.GetProperty("you").GetProperty("role").GetString());
        foreach (var key in new[] { "servedFps", "viewers" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty(key).ValueKind);
        }

        Assert.Equal(JsonValueKind.Number, root.GetProperty("camera").GetProperty("capturedFps").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("crl").GetProperty("ageSeconds").ValueKind);
    }

    [Fact]
    public async Task Video_is_mjpeg_without_caching()
    {
        using var client = server.CreateClient(server.Viewer);
        using var response = await client.GetAsync("/video", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MjpegWriter.ContentType, response.Content.Headers.ContentType!.ToString().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("no-cache", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var reader = new MjpegReader(stream, MjpegWriter.Boundary);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The strict reader checks the layout: boundary first, headers, Content-Length bytes, boundary right after.
        var first = await reader.ReadPartAsync(timeout.Token);
        var second = await reader.ReadPartAsync(timeout.Token);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal("image/jpeg", first.Headers["Content-Type"]);
        Assert.True(second.Sequence > first.Sequence);
        Assert.InRange(first.CaptureTimeMs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Video_delivers_at_least_25_fps_of_a_30_fps_source_for_5_s()
    {
        await using var video = await VideoClient.OpenAsync(server, server.Viewer);
        await video.WaitForMoreFramesAsync(3, TimeSpan.FromSeconds(30));
        var fps = await video.BestFrameRateAsync(TimeSpan.FromSeconds(5), attempts: 3, target: 25);
        Assert.True(fps >= 25, $"best 5-second window: {fps:0.0} fps");
        Assert.False(video.Reading.IsFaulted, video.Reading.Exception?.GetBaseException().Message);
    }

    [SkippableFact]
    public async Task Security_headers_are_set_and_there_is_no_server_header()
    {
        var result = await server.CurlAsync(server.Viewer, "/healthz", "-D", "-");
        Assert.True(result.ExitCode == 0, result.ToString());
        var headers = result.StandardOutput.ToLowerInvariant();
        Assert.Contains("strict-transport-security: max-age=", headers, StringComparison.Ordinal);
        Assert.Contains("content-security-policy: default-src 'none'; script-src 'self'", headers, StringComparison.Ordinal);
        Assert.Contains("x-content-type-options: nosniff", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("\nserver:", headers, StringComparison.Ordinal);
        Assert.EndsWith("ok", result.StandardOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_page_shows_the_viewers_own_certificate_and_has_no_inline_script()
    {
        using var client = server.CreateClient(server.Viewer);
        var html = await client.GetStringAsync("/");
        Assert.Contains("<strong>viewer</strong>", html, StringComparison.Ordinal);
        Assert.Contains(server.Viewer.Certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.Contains("<img id=\"stream\" src=\"/video\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/viewer.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        using var script = await client.GetAsync("/viewer.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/api/status", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_ca_name_is_sent_in_the_certificate_request()
    {
        var openssl = Peer.Require("openssl");
        var result = await ExternalProcess.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", "-CAfile", server.Pki.CaCertificatePath],
            standardInput: string.Empty,
            timeout: TimeSpan.FromSeconds(30));
        var text = result.Combined;
        var start = text.IndexOf("Acceptable client certificate CA names", StringComparison.Ordinal);
        Assert.True(start >= 0, text);
        Assert.Contains("CN = SecureCam Test CA", text[start..], StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_admins_may_list_the_clients()
    {
        using var viewer = server.CreateClient(server.Viewer);
        using var denied = await viewer.GetAsync("/api/clients");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        using var admin = server.CreateClient(server.Admin);
        using var allowed = await admin.GetAsync("/api/clients");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var json = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync());
        var names = json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("viewer", names);
        Assert.Contains("admin", names);
        Assert.Contains("server", names);
    }

    [Fact]
    public async Task A_certificate_may_hold_only_three_streams()
    {
        var client = server.Pki.IssueClient("many-streams");
        using var http = server.CreateClient(client);
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var response = await http.GetAsync("/video", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                open.Add(response);
            }

            using var fourth = await http.GetAsync("/video", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
            await server.WaitForAuditAsync(l => l.Contains("stream-refused name=\"many-streams\"", StringComparison.Ordinal));

            // Another certificate is not affected.
            using var other = server.CreateClient(server.Viewer);
            using var ok = await other.GetAsync("/video", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        finally
        {
            foreach (var response in open)
            {
                response.Dispose();
            }
        }

        // Closing a stream frees its slot.
        await Eventually.TrueAsync(
            async () =>
            {
                using var again = await http.GetAsync("/video", HttpCompletionOption.ResponseHeadersRead);
                return again.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Plain_http_only_redirects_and_answers_acme_challenges_with_404_when_none_is_pending()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        using var redirect = await http.GetAsync("/snapshot?x=1");
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal($"https://127.0.0.1:{server.Port}/snapshot?x=1", redirect.Headers.Location!.ToString());
        Assert.Empty(await redirect.Content.ReadAsByteArrayAsync());

        using var challenge = await http.GetAsync("/.well-known/acme-challenge/abc_DEF-123");
        Assert.Equal(HttpStatusCode.NotFound, challenge.StatusCode);
    }
}
