using System.Collections.Concurrent;
using System.Device.Gpio;

namespace SecureCam.Server.Tests.Support;

/// <summary>
/// A System.Device.Gpio driver that records what the server asks of each line. This machine has no GPIO chip
/// (no /dev/gpiochip*), so the light is tested through the library's own driver abstraction, the way a Pi's
/// libgpiod driver is plugged into the same <see cref="GpioController"/>.
/// </summary>
internal sealed class RecordingGpioDriver : GpioDriver
{
    private readonly ConcurrentDictionary<int, PinMode> _modes = new();
    private readonly ConcurrentDictionary<int, PinValue> _values = new();

    /// <summary>When set, opening a line fails as libgpiod does for a user outside the gpio group.</summary>
    public bool RefuseAccess { get; init; }

    /// <summary>When set, writes fail as they do when the line is taken away (a chip unbound, a cable pulled off an expander).</summary>
    public bool FailWrites { get; set; }

    /// <summary>Every write in order: (line, high?).</summary>
    public ConcurrentQueue<(int Pin, bool High)> Writes { get; } = new();

    public ConcurrentQueue<int> Closed { get; } = new();

    public bool IsOpen(int pin) => _modes.ContainsKey(pin);

    public bool IsHigh(int pin) => _values.TryGetValue(pin, out var value) && value == PinValue.High;

    /// <summary>How many times the line went from low to high.</summary>
    public int RisingEdges(int pin)
    {
        var edges = 0;
        var high = false;
        foreach (var (line, value) in Writes)
        {
            if (line == pin)
            {
                edges += value && !high ? 1 : 0;
                high = value;
            }
        }

        return edges;
    }

    protected override int PinCount => 54;

    protected override void OpenPin(int pinNumber)
    {
        if (RefuseAccess)
        {
            throw new UnauthorizedAccessException($"/dev/gpiochip0: permission denied (line {pinNumber})");
        }

        _modes[pinNumber] = PinMode.Input;
    }

    protected override void ClosePin(int pinNumber)
    {
        _modes.TryRemove(pinNumber, out _);
        Closed.Enqueue(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output;

    protected override PinValue Read(int pinNumber) => _values.GetValueOrDefault(pinNumber, PinValue.Low);

    protected override void Toggle(int pinNumber) => Write(pinNumber, !Read(pinNumber));

    protected override void Write(int pinNumber, PinValue value)
    {
        if (FailWrites)
        {
            throw new IOException($"line {pinNumber}: no such device");
        }

        _values[pinNumber] = value;
        Writes.Enqueue((pinNumber, value == PinValue.High));
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the light only writes");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the light only writes");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the light only writes");
}
