using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// A real browser with a client certificate: Debian's headless Chromium, its NSS database holding the
/// demo CA and the demo-viewer identity, and the AutoSelectCertificateForUrls policy, opens the viewer
/// page of `securecam demo`, which must show live frames. Without the identity the page must not load.
/// </summary>
[Collection(ChromiumPolicy.Collection)]
public sealed class BrowserViewerTests
{
    // Draws the <img> showing /video into a canvas twice, 1.5 s apart, and hashes the pixels; asks the
    // server (over the same mutual-TLS session) for the camera's frame sequence before and after.
    private const string LiveFramesProbe = """
        (async () => {
          const img = document.getElementById('stream');
          const canvas = document.createElement('canvas');
          canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
          const context = canvas.getContext('2d', { willReadFrequently: true });
          const grab = () => {
            context.drawImage(img, 0, 0);
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let hash = 0, lit = 0;
            for (let i = 0; i < data.length; i += 61) { hash = (Math.imul(hash, 31) + data[i]) | 0; if (data[i] > 16) lit++; }
            return { hash, lit };
          };
          const sequence = async () => (await (await fetch('/api/status', { cache: 'no-store' })).json()).camera.lastSequence;
          const sequenceBefore = await sequence();
          const first = grab();
          await new Promise(resolve => setTimeout(resolve, 1500));
          const second = grab();
          const sequenceAfter = await sequence();
          return { width: img.naturalWidth, height: img.naturalHeight, first, second, sequenceBefore, sequenceAfter };
        })()
        """;

    [SkippableFact]
    public async Task Chromium_with_the_viewer_certificate_shows_live_frames_and_without_it_the_page_does_not_load()
    {
        var chromium = Peer.Require("chromium");
        Peer.Require("certutil", "libnss3-tools");
        Peer.Require("pk12util", "libnss3-tools");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = deadline.Token;
        using var work = new TempDirectory("e2e-browser");
        var serverDirectory = work.Combine("demo");
        Directory.CreateDirectory(serverDirectory);

        await using var server = await DemoServer.StartAsync(serverDirectory, ct);
        var origin = $"https://localhost:{server.Port}";
        using var policy = ChromiumPolicy.TryAutoSelectCertificate(origin);
        Peer.RequireThat(policy is not null, $"cannot write a Chromium policy in {ChromiumPolicy.ManagedPolicyDirectory} (run as root)");

        var withIdentity = work.Combine("home-with-identity");
        await NssDatabase.CreateAsync(withIdentity, server.CaCertificate, ct);
        await NssDatabase.ImportIdentityAsync(withIdentity, server.ViewerP12, server.ViewerPassword, ct);
        await using (var browser = await HeadlessChromium.StartAsync(chromium, withIdentity, work.Combine("profile-with-identity"), ct))
        {
            var error = await browser.NavigateAsync(origin + "/", ct);
            Assert.True(error is null, $"navigation failed: {error}\n{browser.Output}\n{server.Output}");

            await Eventually.TrueAsync(
                async () => (await browser.Page.EvaluateAsync("document.getElementById('stream')?.naturalWidth ?? 0", ct))!.GetValue<int>() > 0,
                TimeSpan.FromSeconds(60),
                () => "the live image never decoded\n" + server.Output,
                ct);
            var probe = (await browser.Page.EvaluateAsync(LiveFramesProbe, ct))!.AsObject();
            Assert.Equal(1280, probe["width"]!.GetValue<int>());
            Assert.Equal(720, probe["height"]!.GetValue<int>());
            Assert.True(probe["first"]!["lit"]!.GetValue<int>() > 1000, "the picture is black: " + probe.ToJsonString());
            Assert.True(probe["first"]!["hash"]!.GetValue<int>() != probe["second"]!["hash"]!.GetValue<int>(), "the picture did not change in 1.5 s: " + probe.ToJsonString());
            Assert.True(probe["sequenceAfter"]!.GetValue<long>() > probe["sequenceBefore"]!.GetValue<long>(), "the frame counter did not advance: " + probe.ToJsonString());

            // The page's own status panel (fetched by viewer.js from /api/status) counts this browser.
            await Eventually.TrueAsync(
                async () => (await browser.Page.EvaluateAsync("document.getElementById('viewers').textContent", ct))?.GetValue<string>() is { } viewers
                    && int.TryParse(viewers, out var n) && n >= 1,
                TimeSpan.FromSeconds(30),
                () => "the status panel never showed a viewer",
                ct);

            var screenshot = await browser.ScreenshotAsync(ct);
            await File.WriteAllBytesAsync(Path.Combine(RepositoryPaths.Artifacts, "browser-viewer-with-certificate.png"), screenshot, ct);
            Assert.True(screenshot.Length > 20_000, $"screenshot of {screenshot.Length} bytes is too small to show the page");
        }

        var withoutIdentity = work.Combine("home-without-identity");
        await NssDatabase.CreateAsync(withoutIdentity, server.CaCertificate, ct);
        await using (var browser = await HeadlessChromium.StartAsync(chromium, withoutIdentity, work.Combine("profile-without-identity"), ct))
        {
            var error = await browser.NavigateAsync(origin + "/", ct);
            Assert.NotNull(error);
            Assert.Contains("ERR_", error, StringComparison.Ordinal);
            var hasStream = await browser.Page.EvaluateAsync("document.getElementById('stream') !== null", ct);
            Assert.False(hasStream!.GetValue<bool>());
            var screenshot = await browser.ScreenshotAsync(ct);
            await File.WriteAllBytesAsync(Path.Combine(RepositoryPaths.Artifacts, "browser-viewer-without-certificate.png"), screenshot, ct);
        }

        Assert.Equal(0, await server.StopAsync());
    }
}
