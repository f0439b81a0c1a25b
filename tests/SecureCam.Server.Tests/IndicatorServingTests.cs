using System.Device.Gpio;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SecureCam.Server.Indicator;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The being-watched light in the running server: /video lights it, /snapshot blinks it, a stream cut by
/// revocation or by shutdown darkens it, /api/status shows it. There is no GPIO on this machine: the LED's
/// line is System.Device.Gpio's controller over <see cref="RecordingGpioDriver"/>, plugged in where the
/// server would open libgpiod.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class IndicatorServingTests
{
    private const int Pin = 17;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Open_streams_light_the_led_status_shows_it_and_the_last_one_leaving_darkens_it()
    {
        var driver = new RecordingGpioDriver();
        await using var own = await StartAsync(driver);
        var server = own.Server;
        Assert.True(driver.IsOpen(Pin));
        Assert.False(driver.IsHigh(Pin));
        Assert.False(await StatusLitAsync(server));

        var first = await VideoClient.OpenAsync(server, server.Viewer);
        await using (var second = await VideoClient.OpenAsync(server, server.Admin))
        {
            await second.WaitForMoreFramesAsync(2, Generous);
            Assert.True(driver.IsHigh(Pin));
            Assert.True(await StatusLitAsync(server));

            await first.DisposeAsync();
            await Eventually.TrueAsync(() => server.App.Services.GetRequiredService<BeingWatchedLight>().Report().Streams == 1, Generous);
            Assert.True(driver.IsHigh(Pin));
        }

        await Eventually.TrueAsync(() => !driver.IsHigh(Pin), Generous, () => "the LED stayed lit after the last viewer left");
        Assert.Equal(1, driver.RisingEdges(Pin));
    }

    [Fact]
    public async Task A_stream_cut_by_revocation_darkens_the_led()
    {
        var driver = new RecordingGpioDriver();
        await using var own = await StartAsync(driver);
        var server = own.Server;
        var client = server.Pki.IssueClient("watched-then-revoked");
        await using var video = await VideoClient.OpenAsync(server, client);
        await video.WaitForMoreFramesAsync(2, Generous);
        Assert.True(driver.IsHigh(Pin));

        server.Pki.Revoke("watched-then-revoked");
        await Eventually.TrueAsync(() => video.Reading.IsCompleted, Generous, () => "the revoked stream was not cut");
        await Eventually.TrueAsync(() => !driver.IsHigh(Pin), Generous, () => "the LED stayed lit after the stream was cut");
        await server.WaitForAuditAsync(l => l.Contains("stream-end name=\"watched-then-revoked\"", StringComparison.Ordinal) && l.Contains("reason=\"certificate revoked\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_with_a_stream_open_darkens_the_led_and_releases_the_line()
    {
        var driver = new RecordingGpioDriver();
        await using var own = await StartAsync(driver);
        var server = own.Server;
        await using var video = await VideoClient.OpenAsync(server, server.Viewer);
        await video.WaitForMoreFramesAsync(2, Generous);
        Assert.True(driver.IsHigh(Pin));

        await server.App.StopAsync();
        Assert.False(driver.IsHigh(Pin));
        Assert.Contains(Pin, driver.Closed);
    }

    [Fact]
    public async Task A_snapshot_blinks_the_led_once()
    {
        var driver = new RecordingGpioDriver();
        await using var own = await StartAsync(driver);
        var server = own.Server;
        using var http = server.CreateClient(server.Viewer);
        using var response = await http.GetAsync("/snapshot");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(1, driver.RisingEdges(Pin));
        await Eventually.TrueAsync(() => !driver.IsHigh(Pin), Generous, () => "the snapshot's blink did not end");
    }

    [Fact]
    public async Task A_light_that_cannot_be_opened_is_a_warning_and_the_camera_serves()
    {
        var driver = new RecordingGpioDriver { RefuseAccess = true };
        await using var own = await StartAsync(driver);
        var server = own.Server;
        Assert.Single(server.Logs.Lines, l => l.Contains("Indicator:GpioPin: GPIO 17 unavailable", StringComparison.Ordinal));

        using var http = server.CreateClient(server.Viewer);
        using (var snapshot = await http.GetAsync("/snapshot"))
        {
            Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        }

        using var status = JsonDocument.Parse(await http.GetStringAsync("/api/status"));
        var indicator = status.RootElement.GetProperty("indicator");
        Assert.True(indicator.GetProperty("configured").GetBoolean());
        var output = indicator.GetProperty("outputs")[0];
        Assert.Equal("gpio", output.GetProperty("kind").GetString());
        Assert.False(output.GetProperty("working").GetBoolean());
        Assert.Contains("permission denied", output.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    private static async Task<OwnServer> StartAsync(RecordingGpioDriver driver)
    {
        var server = new ServerFixture(
            _ => new Dictionary<string, string?> { ["Indicator:GpioPin"] = Pin.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            (_, services) => services.AddSingleton(new IndicatorHardware(() => new GpioController(driver), "/nonexistent/leds")));
        await server.InitializeAsync();
        return new OwnServer(server);
    }

    private static async Task<bool> StatusLitAsync(ServerFixture server)
    {
        using var http = server.CreateClient(server.Viewer);
        using var status = JsonDocument.Parse(await http.GetStringAsync("/api/status"));
        return status.RootElement.GetProperty("indicator").GetProperty("lit").GetBoolean();
    }

    /// <summary>A server of its own per test (the light's hardware is per server), stopped with the test.</summary>
    private sealed class OwnServer(ServerFixture server) : IAsyncDisposable
    {
        public ServerFixture Server { get; } = server;

        public async ValueTask DisposeAsync() => await Server.DisposeAsync();
    }
}
