using System.Device.Gpio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SecureCam.Server.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Indicator;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;
using Xunit.Abstractions;

namespace SecureCam.Server.Tests;

/// <summary>
/// The being-watched light on its own: settings, what it writes for streams and snapshots, and the board LED
/// through a temporary folder standing in for /sys/class/leds. There is no GPIO on this machine: the GPIO
/// line is System.Device.Gpio's controller over <see cref="RecordingGpioDriver"/>.
/// </summary>
public sealed class IndicatorTests(ITestOutputHelper testOutput) : IDisposable
{
    private const int Pin = 17;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly RecordingGpioDriver _driver = new();
    private readonly TempDirectory _leds = new("securecam-leds");

    [Fact]
    public async Task Off_by_default()
    {
        var settings = TestSettings.Read<IndicatorSettings>(Configuration([]));
        Assert.False(settings.Enabled);
        using var light = Light(settings);
        await light.StartAsync(CancellationToken.None);
        using (light.Watch())
        {
            light.Blink();
            var report = light.Report();
            Assert.False(report.Configured);
            Assert.False(report.Lit);
            Assert.Empty(report.Outputs);
        }
    }

    [Theory]
    [InlineData("Indicator:GpioPin", "seventeen", "Indicator:GpioPin: 'seventeen' is not a GPIO line number from 0 to 1023")]
    [InlineData("Indicator:GpioPin", "-1", "Indicator:GpioPin: '-1' is not")]
    [InlineData("Indicator:GpioPin", "1024", "Indicator:GpioPin: '1024' is not")]
    [InlineData("Indicator:BoardLed", "../../../etc/passwd", "Indicator:BoardLed: '../../../etc/passwd' is not an LED name under /sys/class/leds")]
    [InlineData("Indicator:BoardLed", "..", "Indicator:BoardLed:")]
    [InlineData("Indicator:GpioPn", "17", "Indicator:GpioPn: unknown setting (known: GpioPin, BoardLed)")]
    public void A_bad_indicator_setting_stops_the_build_with_one_line_naming_the_key(string key, string value, string expectedStart)
    {
        var ex = Assert.Throws<StartupException>(() => SecureCamHost.Build(Configuration(new() { [key] = value, ["Server:PkiDirectory"] = "/nonexistent" })));
        Assert.StartsWith(expectedStart, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.IsType<SettingException>(ex.InnerException);
    }

    [Fact]
    public async Task Lit_while_any_stream_is_open_and_dark_once_the_last_one_ends()
    {
        using var light = Light(new IndicatorSettings { GpioPin = Pin });
        await light.StartAsync(CancellationToken.None);
        Assert.True(_driver.IsOpen(Pin));
        Assert.False(_driver.IsHigh(Pin));

        var first = light.Watch();
        Assert.True(_driver.IsHigh(Pin));
        using (light.Watch())
        {
            first.Dispose();
            first.Dispose();
            Assert.True(_driver.IsHigh(Pin));
            Assert.Equal(1, light.Report().Streams);
        }

        Assert.False(_driver.IsHigh(Pin));
        Assert.Equal(1, _driver.RisingEdges(Pin));
    }

    [Fact]
    public async Task A_snapshot_flashes_the_light_when_idle_and_dips_it_while_watched()
    {
        using var light = Light(new IndicatorSettings { GpioPin = Pin });
        await light.StartAsync(CancellationToken.None);

        light.Blink();
        Assert.True(_driver.IsHigh(Pin));
        _clock.Advance(BeingWatchedLight.BlinkDuration - TimeSpan.FromMilliseconds(1));
        Assert.True(_driver.IsHigh(Pin));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_driver.IsHigh(Pin));

        using (light.Watch())
        {
            light.Blink();
            Assert.False(_driver.IsHigh(Pin));
            _clock.Advance(BeingWatchedLight.BlinkDuration);
            Assert.True(_driver.IsHigh(Pin));
        }

        Assert.False(_driver.IsHigh(Pin));
    }

    [Fact]
    public async Task Stopping_darkens_the_light_and_releases_the_line_even_with_streams_open()
    {
        var light = Light(new IndicatorSettings { GpioPin = Pin });
        await light.StartAsync(CancellationToken.None);
        var watch = light.Watch();
        Assert.True(_driver.IsHigh(Pin));

        await light.StopAsync(CancellationToken.None);
        Assert.False(_driver.IsHigh(Pin));
        Assert.Contains(Pin, _driver.Closed);

        // A stream that finishes winding down afterwards neither throws nor lights it again.
        watch.Dispose();
        using (light.Watch())
        {
            light.Blink();
        }

        Assert.False(light.Report().Lit);
        light.Dispose();
    }

    [Fact]
    public async Task A_line_that_fails_later_is_dropped_with_one_error_line_and_the_stream_goes_on()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        using var light = new BeingWatchedLight(new IndicatorSettings { GpioPin = Pin }, Hardware(), _clock, factory.CreateLogger<BeingWatchedLight>());
        await light.StartAsync(CancellationToken.None);
        _driver.FailWrites = true;
        using (light.Watch())
        {
            var output = Assert.Single(light.Report().Outputs);
            Assert.False(output.Working);
            Assert.Equal("line 17: no such device", output.Problem);
        }

        Assert.Single(logs.Lines, l => l.Contains("GPIO 17 failed and is no longer driven: line 17: no such device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_board_led_is_taken_from_its_trigger_driven_at_full_brightness_and_given_back()
    {
        var act = Directory.CreateDirectory(_leds.Combine("ACT")).FullName;
        File.WriteAllText(Path.Combine(act, "brightness"), "0\n");
        File.WriteAllText(Path.Combine(act, "max_brightness"), "255\n");
        File.WriteAllText(Path.Combine(act, "trigger"), "none timer [mmc0] heartbeat\n");

        var light = Light(new IndicatorSettings { BoardLed = "ACT" });
        await light.StartAsync(CancellationToken.None);
        Assert.Equal("none", File.ReadAllText(Path.Combine(act, "trigger")));
        Assert.Equal("0", File.ReadAllText(Path.Combine(act, "brightness")));
        using (light.Watch())
        {
            Assert.Equal("255", File.ReadAllText(Path.Combine(act, "brightness")));
            var output = Assert.Single(light.Report().Outputs);
            Assert.Equal(("board-led", true), (output.Kind, output.Working));
        }

        Assert.Equal("0", File.ReadAllText(Path.Combine(act, "brightness")));
        await light.StopAsync(CancellationToken.None);
        Assert.Equal("mmc0", File.ReadAllText(Path.Combine(act, "trigger")));
    }

    [Fact]
    public async Task Missing_hardware_or_permissions_at_start_is_one_warning_line_per_output_never_a_crash()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        var refusing = new RecordingGpioDriver { RefuseAccess = true };
        var hardware = new IndicatorHardware(() => new GpioController(refusing), _leds.Combine("no-such-class"));
        using var light = new BeingWatchedLight(new IndicatorSettings { GpioPin = Pin, BoardLed = "ACT" }, hardware, _clock, factory.CreateLogger<BeingWatchedLight>());
        await light.StartAsync(CancellationToken.None);
        using (light.Watch())
        {
            light.Blink();
            var report = light.Report();
            Assert.True(report.Configured);
            Assert.False(report.Lit);
            Assert.All(report.Outputs, o => Assert.False(o.Working));
            Assert.Contains("permission denied", report.Outputs[0].Problem, StringComparison.Ordinal);
        }

        Assert.Single(logs.Lines, l => l.Contains("Indicator:GpioPin: GPIO 17 unavailable", StringComparison.Ordinal) && l.Contains("permission denied", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("Indicator:BoardLed: ", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));
        Assert.All(logs.Lines, l => Assert.DoesNotContain('\n', l));
    }

    [SkippableFact]
    public async Task This_machines_own_gpio_without_a_chip_is_a_warning_not_a_crash()
    {
        Skip.If(Directory.EnumerateFiles("/dev", "gpiochip*").Any(), "this machine has a GPIO chip; the test is about a box without one");
        var logs = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        using var light = new BeingWatchedLight(new IndicatorSettings { GpioPin = Pin }, IndicatorHardware.System, _clock, factory.CreateLogger<BeingWatchedLight>());
        await light.StartAsync(CancellationToken.None);
        var output = Assert.Single(light.Report().Outputs);
        Assert.False(output.Working);
        var line = Assert.Single(logs.Lines, l => l.Contains("Indicator:GpioPin: GPIO 17 unavailable", StringComparison.Ordinal));
        Assert.EndsWith("no GPIO chip on this machine (/dev/gpiochip* missing)", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        testOutput.WriteLine(line);
    }

    public void Dispose() => _leds.Dispose();

    private BeingWatchedLight Light(IndicatorSettings settings) =>
        new(settings, Hardware(), _clock, NullLogger<BeingWatchedLight>.Instance);

    private IndicatorHardware Hardware() => new(() => new GpioController(_driver), _leds.Path);

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
