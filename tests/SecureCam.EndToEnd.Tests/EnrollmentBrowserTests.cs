using System.Security.Cryptography;
using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// Phone enrollment end to end with the real programs: `securecam-pki enroll` prints a link, `securecam
/// serve` opens its enrollment port, curl plays the phone (the first connection unverified, then the CA
/// fingerprint compared with the printed one, as the owner is asked to), and the identity it took opens
/// the viewer in headless Chromium and headless Firefox, each with the identity imported into its NSS
/// database with the printed password.
/// </summary>
[Collection(ChromiumPolicy.Collection)]
public sealed class EnrollmentBrowserTests
{
    private const string AndroidAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";

    [SkippableFact]
    public async Task An_enrolled_identity_opens_the_viewer_in_chromium_and_in_firefox_and_its_link_then_answers_410()
    {
        var curl = Peer.Require("curl");
        var chromium = Peer.Require("chromium");
        var firefox = Peer.Require("firefox-esr");
        Peer.Require("certutil", "libnss3-tools");
        Peer.Require("pk12util", "libnss3-tools");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = deadline.Token;
        using var work = new TempDirectory("e2e-enroll");
        var pki = work.Combine("pki");
        await RequireOk(Programs.PkiAsync(pki, "init", "--no-passphrase"));
        await RequireOk(Programs.PkiAsync(pki, "issue-server", "server", "--dns", "localhost", "--ip", "127.0.0.1"));

        var port = FreePort.Tcp();
        var enrollPort = FreePort.Tcp();
        await using var server = Programs.StartSecureCam(
            ["serve", "--pki", pki, "--listen", $"https://127.0.0.1:{port}", "--camera", "synthetic"],
            work.Path,
            Programs.CleanEnvironment(new()
            {
                ["SECURECAM__ENROLLMENT__LISTEN"] = $"https://127.0.0.1:{enrollPort}",
                ["SECURECAM__CAMERA__WIDTH"] = "640",
                ["SECURECAM__CAMERA__HEIGHT"] = "360",
            }));
        await server.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(90), ct);

        var origin = $"https://localhost:{port}";
        using var policy = ChromiumPolicy.TryAutoSelectCertificate(origin);
        Peer.RequireThat(policy is not null, $"cannot write a Chromium policy in {ChromiumPolicy.ManagedPolicyDirectory} (run as root)");

        // Chromium: the identity goes into ~/.pki/nssdb of its HOME.
        var chromiumPhone = await EnrollWithCurlAsync(curl, pki, enrollPort, "phone-chromium", work, server, ct);
        var chromiumHome = work.Combine("chromium-home");
        await NssDatabase.CreateAsync(chromiumHome, chromiumPhone.CaFile, ct);
        await NssDatabase.ImportIdentityAsync(chromiumHome, chromiumPhone.P12File, chromiumPhone.Password, ct);
        await using (var browser = await HeadlessChromium.StartAsync(chromium, chromiumHome, work.Combine("chromium-profile"), ct))
        {
            var error = await browser.NavigateAsync(origin + "/", ct);
            Assert.True(error is null, $"navigation failed: {error}\n{browser.Output}\n{server.Output}");
            await Eventually.TrueAsync(
                async () => (await browser.Page.EvaluateAsync("document.getElementById('stream')?.naturalWidth ?? 0", ct))!.GetValue<int>() > 0,
                TimeSpan.FromSeconds(60),
                () => "the live image never decoded in Chromium\n" + server.Output,
                ct);
            var who = (await browser.Page.EvaluateAsync("document.querySelector('.who')?.textContent ?? ''", ct))!.GetValue<string>();
            Assert.Contains("phone-chromium", who);
        }

        await server.WaitForOutputAsync("stream-start name=\"phone-chromium\"", TimeSpan.FromSeconds(30), ct);

        // Firefox: the identity goes into the profile's own NSS database; it presents it without asking.
        var firefoxPhone = await EnrollWithCurlAsync(curl, pki, enrollPort, "phone-firefox", work, server, ct);
        var profile = work.Combine("firefox-profile");
        await NssDatabase.CreateAsync(profile, firefoxPhone.CaFile, ct, databaseDirectory: profile);
        await NssDatabase.ImportIdentityAsync(profile, firefoxPhone.P12File, firefoxPhone.Password, ct, databaseDirectory: profile);
        await File.WriteAllTextAsync(
            Path.Combine(profile, "user.js"),
            """
            user_pref("security.default_personal_cert", "Select Automatically");
            user_pref("browser.shell.checkDefaultBrowser", false);
            user_pref("datareporting.policy.dataSubmissionEnabled", false);
            user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
            user_pref("app.update.enabled", false);
            user_pref("network.http.http3.enable", false);
            """,
            ct);
        var screenshot = Path.Combine(RepositoryPaths.Artifacts, "enrolled-firefox-viewer.png");
        File.Delete(screenshot);
        await using (var browser = ExternalProcess.Start(
            firefox,
            ["--headless", "--no-remote", "--profile", profile, "--window-size", "1280,900", "--screenshot", screenshot, origin + "/"],
            work.Path,
            new Dictionary<string, string?> { ["HOME"] = work.Combine("firefox-home"), ["MOZ_HEADLESS"] = "1" }))
        {
            // The viewer page's <img> opens /video with the enrolled identity: the server's audit line proves it.
            await Eventually.TrueAsync(
                () => server.Output.Contains("stream-start name=\"phone-firefox\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(120),
                () => "Firefox never streamed with the enrolled identity\n" + browser.Output + "\n" + server.Output,
                ct);
        }

        // Firefox opens speculative connections and cancels one the server asks for a certificate before a
        // request has claimed it (its pipnss log: "Cancelling unclaimed connection with client certificate
        // request"). Now and then its empty Certificate message reaches the server before the close, and the
        // server refuses it like any connection without a certificate (seen here once in 32 runs, just
        // before Firefox's real connection streamed). What must never happen is an issued identity refused.
        var refused = server.Output.Split('\n')
            .Where(line => line.Contains("client-rejected", StringComparison.Ordinal))
            .Where(line => !(line.Contains("subject=\"-\" serial=-", StringComparison.Ordinal) && line.Contains("reason=\"no client certificate\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(refused.Count == 0, "the server refused a client for more than a missing certificate:\n" + string.Join('\n', refused) + "\n\n" + server.Output);
        Assert.Equal(0, await server.InterruptAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// What a phone does with the link: fetch the CA over the not-yet-trusted connection, check its
    /// fingerprint against the one `enroll` printed, then (now verifying) open the page and take the
    /// identity; a second download must answer 410.
    /// </summary>
    private static async Task<Enrolled> EnrollWithCurlAsync(string curl, string pki, int enrollPort, string name, TempDirectory work, RunningProcess server, CancellationToken ct)
    {
        var enrolled = await RequireOk(Programs.PkiAsync(pki, "enroll", name, "--url-base", $"https://localhost:{enrollPort}", "--json"));
        using var json = JsonDocument.Parse(enrolled.StandardOutput);
        var url = json.RootElement.GetProperty("url").GetString()!;
        var password = json.RootElement.GetProperty("password").GetString()!;
        var fingerprint = json.RootElement.GetProperty("caFingerprint").GetString()!;
        await server.WaitForOutputAsync($"enroll-ticket name=\"{name}\"", TimeSpan.FromSeconds(15), ct);
        await Eventually.TrueAsync(
            async () => (await ExternalProcess.RunAsync(curl, ["-sk", "-o", "/dev/null", "-w", "%{http_code}", url], cancellationToken: ct)).StandardOutput.Trim() == "200",
            TimeSpan.FromSeconds(15),
            () => "the enrollment page never answered\n" + server.Output,
            ct);

        var derFile = work.Combine(name + "-ca.crt");
        await RequireOk(ExternalProcess.RunAsync(curl, ["-sSk", "--fail", "-o", derFile, url + "/ca.crt"], cancellationToken: ct));
        var der = await File.ReadAllBytesAsync(derFile, ct);
        Assert.Equal(fingerprint, string.Join(':', Convert.ToHexString(SHA256.HashData(der)).Chunk(2).Select(p => new string(p))));
        var caFile = work.Combine(name + "-ca.pem");
        await OpenSslCli.RunOkAsync("x509", "-inform", "DER", "-in", derFile, "-out", caFile);

        var page = await RequireOk(ExternalProcess.RunAsync(curl, ["-sS", "--fail", "--cacert", caFile, "-A", AndroidAgent, url], cancellationToken: ct));
        Assert.Contains(fingerprint, page.StandardOutput);
        Assert.Contains("VPN and app user certificate", page.StandardOutput);

        var p12File = work.Combine(name + ".p12");
        await RequireOk(ExternalProcess.RunAsync(curl, ["-sS", "--fail", "--cacert", caFile, "-o", p12File, url + "/identity.p12"], cancellationToken: ct));
        var again = await ExternalProcess.RunAsync(curl, ["-sS", "--cacert", caFile, "-o", "/dev/null", "-w", "%{http_code}", url + "/identity.p12"], cancellationToken: ct);
        Assert.Equal("410", again.StandardOutput.Trim());
        Assert.False(File.Exists(Path.Combine(pki, "issued", name, "key.pem")));
        return new Enrolled(caFile, p12File, password);
    }

    private static async Task<ProcessResult> RequireOk(Task<ProcessResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private sealed record Enrolled(string CaFile, string P12File, string Password);
}
