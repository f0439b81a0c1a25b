using System.Globalization;
using System.Text.Json.Nodes;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium, headless, with a fresh profile and a given HOME (whose ~/.pki/nssdb holds the
/// trusted CA and, or not, the client identity), driven over the DevTools protocol. Killed with its
/// children on dispose.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private HeadlessChromium(RunningProcess process, DevToolsSession page)
    {
        _process = process;
        Page = page;
    }

    public DevToolsSession Page { get; }

    public string Output => _process.Output;

    public static async Task<HeadlessChromium> StartAsync(string chromium, string home, string profile, CancellationToken cancellationToken)
    {
        // The flags of shared/notes/interop.md: new headless mode, no sandbox (root in CI), no GPU, no
        // QUIC, nothing that phones home; --remote-debugging-port=0 lets Chromium pick a free port and
        // write it to DevToolsActivePort in the profile.
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            "--window-size=1280,1000", $"--user-data-dir={profile}", "about:blank",
        ];
        var process = ExternalProcess.Start(chromium, arguments, home, new Dictionary<string, string?> { ["HOME"] = home });
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            await Eventually.TrueAsync(
                () => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2,
                TimeSpan.FromSeconds(60),
                () => "Chromium did not open its DevTools port:\n" + process.Output,
                cancellationToken);
            var port = int.Parse(File.ReadAllLines(portFile)[0], CultureInfo.InvariantCulture);
            var pageSocket = await FindPageAsync(port, cancellationToken);
            var page = await DevToolsSession.ConnectAsync(pageSocket, cancellationToken);
            return new HeadlessChromium(process, page);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Navigates and returns the navigation's error text (null when the page loaded).</summary>
    public async Task<string?> NavigateAsync(string url, CancellationToken cancellationToken)
    {
        var result = await Page.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, cancellationToken);
        return result["errorText"]?.GetValue<string>() is { Length: > 0 } error ? error : null;
    }

    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        var result = await Page.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    private static async Task<Uri> FindPageAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Uri? found = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), cancellationToken))!.AsArray();
                var page = targets.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page");
                found = page?["webSocketDebuggerUrl"] is { } ws ? new Uri(ws.GetValue<string>()) : null;
                return found is not null;
            },
            TimeSpan.FromSeconds(30),
            () => "Chromium listed no page target",
            cancellationToken);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        await _process.DisposeAsync();
    }
}
