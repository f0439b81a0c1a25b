using System.Device.Gpio;
using System.Globalization;

namespace SecureCam.Server.Indicator;

/// <summary>One lamp the being-watched light drives. Not thread-safe: <see cref="BeingWatchedLight"/> calls it under its lock.</summary>
internal interface ILightOutput : IDisposable
{
    /// <summary>Lights or darkens the lamp; throws what the hardware throws (IOException, UnauthorizedAccessException, …).</summary>
    void Set(bool lit);
}

/// <summary>Where the light's outputs are opened: the machine's GPIO and /sys/class/leds, or stand-ins in tests.</summary>
internal sealed class IndicatorHardware(Func<GpioController> openGpio, string ledsDirectory)
{
    public const string SystemLedsDirectory = "/sys/class/leds";

    /// <summary>The real machine: libgpiod on the first GPIO chip, the kernel's LED class.</summary>
    public static IndicatorHardware System { get; } = new(OpenSystemGpio, SystemLedsDirectory);

    public string LedsDirectory => ledsDirectory;

    public ILightOutput OpenGpio(int pin)
    {
        var controller = openGpio();
        try
        {
            return new GpioLightOutput(controller, pin);
        }
        catch
        {
            controller.Dispose();
            throw;
        }
    }

    public ILightOutput OpenBoardLed(string name) => new BoardLedOutput(Path.Combine(ledsDirectory, name));

    private static GpioController OpenSystemGpio()
    {
        // Without a chip the library only says "Exception while calling libgpiod".
        if (!Directory.Exists("/dev") || !Directory.EnumerateFiles("/dev", "gpiochip*").Any())
        {
            throw new IOException("no GPIO chip on this machine (/dev/gpiochip* missing)");
        }

        return new GpioController();
    }

    /// <summary>An LED (with its resistor) between a GPIO line and ground: high = lit.</summary>
    private sealed class GpioLightOutput : ILightOutput
    {
        private readonly GpioController _controller;
        private readonly int _pin;

        public GpioLightOutput(GpioController controller, int pin)
        {
            _controller = controller;
            _pin = pin;
            _controller.OpenPin(pin, PinMode.Output, PinValue.Low);
        }

        public void Set(bool lit) => _controller.Write(_pin, lit ? PinValue.High : PinValue.Low);

        public void Dispose()
        {
            try
            {
                Set(false);
                _controller.ClosePin(_pin);
            }
            finally
            {
                _controller.Dispose();
            }
        }
    }

    /// <summary>
    /// A board LED through the kernel's LED class: its trigger (disk or heartbeat activity) is set to `none`
    /// while we drive it and given back afterwards, and lit means max_brightness.
    /// </summary>
    private sealed class BoardLedOutput : ILightOutput
    {
        private readonly string _directory;
        private readonly string _brightness;
        private readonly string? _previousTrigger;

        public BoardLedOutput(string directory)
        {
            _directory = directory;
            _brightness = Path.Combine(directory, "brightness");
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"{directory} does not exist (`ls {Path.GetDirectoryName(directory)}` lists the board's LEDs)");
            }

            MaxBrightness = ReadMaxBrightness(directory);
            var trigger = Path.Combine(directory, "trigger");
            if (File.Exists(trigger))
            {
                // "none [mmc0] timer …": the bracketed one is in force.
                var text = File.ReadAllText(trigger);
                var open = text.IndexOf('[', StringComparison.Ordinal);
                var close = text.IndexOf(']', StringComparison.Ordinal);
                _previousTrigger = open >= 0 && close > open ? text[(open + 1)..close] : null;
                File.WriteAllText(trigger, "none");
            }

            Set(false);
        }

        public int MaxBrightness { get; }

        public void Set(bool lit) => File.WriteAllText(_brightness, lit ? MaxBrightness.ToString(CultureInfo.InvariantCulture) : "0");

        public void Dispose()
        {
            try
            {
                Set(false);
            }
            finally
            {
                if (_previousTrigger is { } trigger && trigger != "none")
                {
                    File.WriteAllText(Path.Combine(_directory, "trigger"), trigger);
                }
            }
        }

        private static int ReadMaxBrightness(string directory)
        {
            var path = Path.Combine(directory, "max_brightness");
            return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) && max > 0 ? max : 1;
        }
    }
}
