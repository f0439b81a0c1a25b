using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// The viewer page in a real browser: headless Chromium with the demo-viewer identity in its NSS database
/// and a managed policy that selects it (the route ../shared/notes/interop.md found working here).
/// </summary>
public sealed class BrowserTests
{
    private const string PolicyDirectory = "/etc/chromium/policies/managed";

    [SkippableFact]
    public async Task Chromium_shows_the_viewer_page_with_the_live_stream_over_mutual_tls()
    {
        var chromium = Peer.Require("chromium");
        var certutil = Peer.Require("certutil", "libnss3-tools");
        var pk12util = Peer.Require("pk12util", "libnss3-tools");
        Peer.RequireThat(CanWritePolicies(), $"{PolicyDirectory} is not writable (Chromium reads client-certificate auto-selection only from there)");

        using var folder = new TempDirectory("securecam-browser");
        var port = FreePort.Tcp();
        await using var demo = ExternalProcess.Start(Programs.Dotnet, [Programs.SecureCam, "demo", "--listen", $"https://127.0.0.1:{port}"], folder.Path, Programs.CleanEnvironment());
        await demo.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(90));

        var home = folder.Combine("home");
        var nssdb = Path.Combine(home, ".pki", "nssdb");
        Directory.CreateDirectory(nssdb);
        await RequireOk(ExternalProcess.RunAsync(certutil, ["-N", "--empty-password", "-d", "sql:" + nssdb]));
        await RequireOk(ExternalProcess.RunAsync(certutil, ["-A", "-d", "sql:" + nssdb, "-t", "C,,", "-n", "securecam-demo-ca", "-i", folder.Combine("pki", "ca.crt")]));
        var password = (await File.ReadAllTextAsync(folder.Combine("pki", "issued", "demo-viewer", "p12-password.txt"))).Trim();
        await RequireOk(ExternalProcess.RunAsync(pk12util, ["-i", folder.Combine("pki", "issued", "demo-viewer", "demo-viewer.p12"), "-d", "sql:" + nssdb, "-W", password]));

        var origin = $"https://127.0.0.1:{port}";
        var policy = Path.Combine(PolicyDirectory, $"securecam-test-{port}.json");
        var rule = System.Text.Json.JsonSerializer.Serialize(new { pattern = origin, filter = new { } });
        await File.WriteAllTextAsync(policy, System.Text.Json.JsonSerializer.Serialize(new { AutoSelectCertificateForUrls = new[] { rule } }));
        try
        {
            var screenshot = Path.Combine(RepositoryPaths.Artifacts, "viewer-page-chromium.png");
            string[] common =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1100", "--virtual-time-budget=5000",
            ];
            var environment = new Dictionary<string, string?> { ["HOME"] = home };
            var dom = await ExternalProcess.RunAsync(
                chromium, [.. common, "--user-data-dir=" + folder.Combine("profile1"), "--dump-dom", origin + "/"], environment: environment, timeout: TimeSpan.FromSeconds(90));
            Assert.True(dom.ExitCode == 0, dom.ToString());
            Assert.Contains("<strong>demo-viewer</strong>", dom.StandardOutput, StringComparison.Ordinal);

            // Filled in by viewer.js from /api/status: the script ran under the CSP and fetched with the certificate.
            Assert.Matches("<dd id=\"state\">(streaming|starting) · synthetic", dom.StandardOutput);
            Assert.Contains("<dd id=\"telemetry\" class=\"telemetry-off\">off</dd>", dom.StandardOutput, StringComparison.Ordinal);

            var shot = await ExternalProcess.RunAsync(
                chromium, [.. common, "--user-data-dir=" + folder.Combine("profile2"), "--screenshot=" + screenshot, origin + "/"], environment: environment, timeout: TimeSpan.FromSeconds(90));
            Assert.True(shot.ExitCode == 0 && File.Exists(screenshot), shot.ToString());

            // The <img src="/video"> stream was opened by the browser with the demo-viewer certificate.
            await demo.WaitForOutputAsync("stream-start name=\"demo-viewer\"", TimeSpan.FromSeconds(10));
            Assert.DoesNotContain("reason=\"no client certificate\"", demo.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(policy);
        }

        Assert.Equal(0, await demo.InterruptAsync(TimeSpan.FromSeconds(20)));
    }

    private static bool CanWritePolicies()
    {
        try
        {
            Directory.CreateDirectory(PolicyDirectory);
            var probe = Path.Combine(PolicyDirectory, $".securecam-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "{}");
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static async Task RequireOk(Task<ProcessResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
