using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SecureCam.Pki;
using SecureCam.Server.Enrollment;
using SecureCam.Server.Hosting;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The server's enrollment listener, started for real (Kestrel on loopback) over a test PKI, with the
/// enrollment clock replaced by a FakeTimeProvider so expiry is tested without waiting.
/// </summary>
public sealed class EnrollmentTests
{
    private const string AndroidAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
    private const string IphoneAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private const string DesktopAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Fact]
    public async Task The_port_is_closed_without_a_ticket_opens_for_one_and_closes_when_it_expires_taking_the_unused_key()
    {
        await using var rig = await Rig.StartAsync();
        Assert.False(await rig.PortOpenAsync());

        var (token, issued) = rig.Enroll("phone");
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10), () => "the enrollment port never opened\n" + rig.AuditText);
        await rig.WaitForAuditAsync("enroll-ticket name=\"phone\"");
        Assert.Equal(HttpStatusCode.OK, (await rig.GetAsync($"/enroll/{token}")).StatusCode);

        rig.Clock.Advance(EnrollmentTickets.DefaultLifetime);
        await Eventually.TrueAsync(async () => !await rig.PortOpenAsync(), TimeSpan.FromSeconds(10), () => "the enrollment port stayed open after expiry\n" + rig.AuditText);
        await rig.WaitForAuditAsync("enroll-ticket-over name=\"phone\"");
        Assert.False(File.Exists(issued.KeyPath));
        Assert.False(File.Exists(issued.Pkcs12Path));
        Assert.True(File.Exists(issued.CertificatePath));
    }

    [SkippableFact]
    public async Task The_page_fits_each_platform_shows_the_ca_fingerprint_runs_no_script_and_the_handshake_asks_no_client_certificate()
    {
        await using var rig = await Rig.StartAsync();
        var (token, _) = rig.Enroll("phone");
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10));
        var fingerprint = Thumbprints.Sha256Fingerprint(X509CertificateLoader.LoadCertificateFromFile(rig.Pki.CaCertificatePath));

        var android = await rig.GetAsync($"/enroll/{token}", AndroidAgent);
        var androidPage = await android.Content.ReadAsStringAsync();
        Assert.Contains("VPN and app user certificate", androidPage);
        Assert.Contains($"/enroll/{token}/ca.crt", androidPage);
        Assert.Contains($"/enroll/{token}/identity.p12", androidPage);
        Assert.DoesNotContain("mobileconfig", androidPage);

        var iphonePage = await (await rig.GetAsync($"/enroll/{token}", IphoneAgent)).Content.ReadAsStringAsync();
        Assert.Contains($"/enroll/{token}/profile.mobileconfig", iphonePage);
        Assert.Contains("Certificate Trust Settings", iphonePage);

        var desktopPage = await (await rig.GetAsync($"/enroll/{token}", DesktopAgent)).Content.ReadAsStringAsync();
        Assert.Contains("Firefox", desktopPage);
        Assert.Contains($"/enroll/{token}/identity.p12", desktopPage);

        // The manual choice wins over the browser's claim.
        Assert.Contains("profile.mobileconfig", await (await rig.GetAsync($"/enroll/{token}?for=apple", AndroidAgent)).Content.ReadAsStringAsync());

        foreach (var page in new[] { androidPage, iphonePage, desktopPage })
        {
            Assert.Contains(fingerprint, page);
            Assert.Contains("width=device-width", page);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", page, StringComparison.OrdinalIgnoreCase);
        }

        var csp = string.Join(';', android.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("script-src", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Equal("no-referrer", android.Headers.GetValues("Referrer-Policy").Single());
        var ca = await rig.GetAsync($"/enroll/{token}/ca.crt");
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(rig.Pki.CaCertificatePath).RawData, await ca.Content.ReadAsByteArrayAsync());
        await rig.WaitForAuditAsync("enroll-page name=\"phone\"");

        // openssl: the server sends no CertificateRequest on this port (it does on the camera's).
        var openssl = Peer.Require("openssl");
        var camera = await ExternalProcess.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{rig.ServerPort}", "-CAfile", rig.Pki.CaCertificatePath, "-showcerts", "-tls1_2"],
            standardInput: string.Empty,
            timeout: TimeSpan.FromSeconds(20));
        Assert.Contains("Acceptable client certificate CA names", camera.StandardOutput);
        var enrollment = await ExternalProcess.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{rig.EnrollPort}", "-CAfile", rig.Pki.CaCertificatePath, "-showcerts", "-tls1_2"],
            standardInput: string.Empty,
            timeout: TimeSpan.FromSeconds(20));
        Assert.Contains("No client certificate CA names sent", enrollment.StandardOutput);
    }

    [SkippableFact]
    public async Task The_identity_is_handed_out_once_then_every_url_answers_410_and_it_opens_the_snapshot_with_curl()
    {
        var curl = Peer.Require("curl");
        await using var rig = await Rig.StartAsync();
        var (token, issued) = rig.Enroll("phone");
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10));

        var download = await rig.GetAsync($"/enroll/{token}/identity.p12", AndroidAgent);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/x-pkcs12", download.Content.Headers.ContentType!.MediaType);
        Assert.Contains("phone.p12", download.Content.Headers.ContentDisposition!.ToString());
        var p12 = await download.Content.ReadAsByteArrayAsync();
        Assert.True(Pkcs12Files.PasswordOpens(p12, rig.Password));
        await rig.WaitForAuditAsync("enroll-taken name=\"phone\"");
        Assert.False(File.Exists(issued.KeyPath));
        Assert.False(File.Exists(issued.Pkcs12Path));
        Assert.True(File.Exists(issued.CertificatePath));

        foreach (var path in new[] { "/identity.p12", "/profile.mobileconfig", "/ca.crt", string.Empty })
        {
            var again = await rig.GetAsync($"/enroll/{token}{path}");
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        }

        // The phone's identity, out of the .p12 with its password, opens the camera.
        var p12Path = Path.Combine(rig.Pki.Files, "phone.p12");
        await File.WriteAllBytesAsync(p12Path, p12);
        var certificate = Path.Combine(rig.Pki.Files, "phone.crt");
        var key = Path.Combine(rig.Pki.Files, "phone.key");
        await OpenSslCli.RunOkAsync("pkcs12", "-in", p12Path, "-passin", "pass:" + rig.Password, "-clcerts", "-nokeys", "-out", certificate);
        await OpenSslCli.RunOkAsync("pkcs12", "-in", p12Path, "-passin", "pass:" + rig.Password, "-nocerts", "-nodes", "-out", key);
        var snapshot = await ExternalProcess.RunAsync(
            curl,
            ["-sS", "--max-time", "15", "--cacert", rig.Pki.CaCertificatePath, "--cert", certificate, "--key", key, "-o", "/dev/null", "-w", "%{http_code} %{content_type}", $"https://127.0.0.1:{rig.ServerPort}/snapshot"],
            timeout: TimeSpan.FromSeconds(30));
        Assert.True(snapshot.StandardOutput.Trim() == "200 image/jpeg", snapshot + "\n" + rig.AuditText);
    }

    [Fact]
    public async Task The_apple_profile_holds_the_root_and_the_identity_and_uses_the_link_up()
    {
        await using var rig = await Rig.StartAsync();
        var (token, _) = rig.Enroll("iphone");
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10));
        var profile = await rig.GetAsync($"/enroll/{token}/profile.mobileconfig", IphoneAgent);
        Assert.Equal("application/x-apple-aspen-config", profile.Content.Headers.ContentType!.MediaType);
        var text = await profile.Content.ReadAsStringAsync();
        Assert.Contains("com.apple.security.root", text);
        Assert.Contains("com.apple.security.pkcs12", text);
        Assert.DoesNotContain(rig.Password, text);
        Assert.Equal(HttpStatusCode.Gone, (await rig.GetAsync($"/enroll/{token}/identity.p12")).StatusCode);
    }

    [Fact]
    public async Task Wrong_and_expired_tokens_get_the_same_answer_and_too_many_are_rate_limited()
    {
        await using var rig = await Rig.StartAsync(new() { ["Enrollment:MaxFailuresPerMinute"] = "3" });
        var (shortLived, _) = rig.Enroll("short", TimeSpan.FromMinutes(2));
        var (longLived, _) = rig.Enroll("long", TimeSpan.FromMinutes(30));
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10));

        var wrong = await rig.GetAsync($"/enroll/{EnrollmentTickets.NewToken()}");
        rig.Clock.Advance(TimeSpan.FromMinutes(3));
        var expired = await rig.GetAsync($"/enroll/{shortLived}");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(wrong.StatusCode, expired.StatusCode);
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await expired.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await rig.GetAsync("/enroll/not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rig.GetAsync($"/enroll/{EnrollmentTickets.NewToken()}/identity.p12")).StatusCode);

        // Three failures since the clock moved used the minute's allowance: now even a good link waits.
        var limited = await rig.GetAsync($"/enroll/{longLived}");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        await rig.WaitForAuditAsync("too many wrong or expired links");
        rig.Clock.Advance(FailureLimiter.Window);
        Assert.Equal(HttpStatusCode.OK, (await rig.GetAsync($"/enroll/{longLived}")).StatusCode);
    }

    [Fact]
    public async Task A_link_whose_name_was_revoked_meanwhile_is_refused()
    {
        await using var rig = await Rig.StartAsync();
        var (token, issued) = rig.Enroll("lost");
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10));
        rig.Pki.Revoke("lost");
        Assert.Equal(HttpStatusCode.Gone, (await rig.GetAsync($"/enroll/{token}/identity.p12")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await rig.GetAsync($"/enroll/{token}")).StatusCode);
        await rig.WaitForAuditAsync("link for 'lost' withdrawn");
        Assert.True(File.Exists(issued.KeyPath));
    }

    [Fact]
    public async Task A_source_outside_the_allowed_networks_is_refused()
    {
        await using var rig = await Rig.StartAsync(new() { ["Enrollment:AllowedSources:0"] = "10.0.0.0/8" });
        var (token, issued) = rig.Enroll("phone");
        await Eventually.TrueAsync(rig.PortOpenAsync, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Forbidden, (await rig.GetAsync($"/enroll/{token}/identity.p12")).StatusCode);
        await rig.WaitForAuditAsync("source outside the allowed networks");
        Assert.True(File.Exists(issued.Pkcs12Path));
    }

    [Theory]
    [InlineData("Enrollment:Listen", "http://0.0.0.0:8444", "Enrollment:Listen")]
    [InlineData("Enrollment:AllowedSources:0", "my-lan", "Enrollment:AllowedSources:0")]
    [InlineData("Enrollment:MaxFailuresPerMinute", "0", "Enrollment:MaxFailuresPerMinute")]
    [InlineData("Enrollment:Listn", "x", "Enrollment:Listn")]
    [InlineData("Enrollment:Listen", "https://0.0.0.0:8443", "Enrollment:Listen")]
    public void A_bad_setting_stops_the_start_with_one_line_naming_the_key(string key, string value, string named)
    {
        using var pki = new TestPki();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Server:Listen"] = "https://127.0.0.1:8443",
            ["Server:PkiDirectory"] = pki.Directory,
            [key] = value,
        }).Build();
        var error = Assert.Throws<StartupException>(() => SecureCamHost.Build(configuration));
        Assert.Contains(named, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>A server with its enrollment listener on a free port, the test PKI, and the fake enrollment clock.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly CapturingLoggerProvider _logs = new();
        private WebApplication _app = null!;

        private Rig()
        {
        }

        public TestPki Pki { get; } = new();

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        public int ServerPort { get; } = FreePort.Tcp();

        public int EnrollPort { get; } = FreePort.Tcp();

        public string Password { get; } = PasswordGenerator.NewShort();

        public string AuditText => string.Join('\n', _logs.Audit);

        public static async Task<Rig> StartAsync(Dictionary<string, string?>? extra = null)
        {
            var rig = new Rig();
            var settings = new Dictionary<string, string?>
            {
                ["Server:Listen"] = $"https://127.0.0.1:{rig.ServerPort}",
                ["Server:PkiDirectory"] = rig.Pki.Directory,
                ["Enrollment:Listen"] = $"https://127.0.0.1:{rig.EnrollPort}",
                ["Camera:Source"] = "synthetic",
                ["Camera:Width"] = "320",
                ["Camera:Height"] = "240",
            };
            foreach (var (key, value) in extra ?? [])
            {
                settings[key] = value;
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            rig._app = SecureCamHost.Build(configuration, builder =>
            {
                builder.Logging.AddProvider(rig._logs);
                builder.Services.AddKeyedSingleton<TimeProvider>(EnrollmentServices.ClockKey, rig.Clock);
            });
            await rig._app.StartAsync();
            return rig;
        }

        /// <summary>Issues a client with this rig's password and writes its ticket, as `securecam-pki enroll` does.</summary>
        public (string Token, IssuedCertificate Issued) Enroll(string name, TimeSpan? lifetime = null)
        {
            using var ca = Pki.OpenCa();
            var issued = ca.IssueClient(new ClientCertificateRequest(name) { Pkcs12Password = Password });
            new EnrollmentTickets(Pki.Store).Create(issued, lifetime ?? EnrollmentTickets.DefaultLifetime, Clock.GetUtcNow(), out var token);
            return (token, issued);
        }

        public async Task<bool> PortOpenAsync()
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, EnrollPort);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        /// <summary>A fresh connection per request (as a phone's first visit), trusting only the test CA, presenting no certificate.</summary>
        public async Task<HttpResponseMessage> GetAsync(string path, string? userAgent = null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(Pki.CaCertificatePath);
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return certificate is X509Certificate2 server && chain.Build(server);
                    },
                },
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{EnrollPort}{path}");
            if (userAgent is not null)
            {
                request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            }

            var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }

        public Task WaitForAuditAsync(string text) =>
            Eventually.TrueAsync(() => _logs.Audit.Any(l => l.Contains(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(10), () => $"no audit line with '{text}':\n{AuditText}");

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            Pki.Dispose();
        }
    }
}
