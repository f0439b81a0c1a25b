using System.Globalization;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Indicator;

/// <summary>
/// The <c>Indicator</c> section: the "being watched" light. Off unless a key is set; both may be set (an LED
/// on a pin and the board's own LED). Read once at start; a bad value stops the start with one line naming its key.
/// </summary>
internal sealed class IndicatorSettings
{
    public const string Section = "Indicator";

    /// <summary>Highest GPIO line number accepted: above any board's chip (a Pi 5's header is on lines 0-53).</summary>
    public const int MaxGpioPin = 1023;

    private static readonly string[] KnownKeys = [nameof(GpioPin), nameof(BoardLed)];

    /// <summary>GPIO line (logical number, as `gpioinfo` lists it) with an LED driven high to light; null = none.</summary>
    public int? GpioPin { get; init; }

    /// <summary>Name under /sys/class/leds of the board's LED (a Pi's `ACT` or `led0`); null = none.</summary>
    public string? BoardLed { get; init; }

    public bool Enabled => GpioPin is not null || BoardLed is not null;

    public static IndicatorSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            // A misspelt key would otherwise leave the light silently off.
            if (!KnownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new SettingException(child.Path, $"unknown setting (known: {string.Join(", ", KnownKeys)})");
            }
        }

        return new IndicatorSettings { GpioPin = ReadPin(section), BoardLed = ReadLedName(section) };
    }

    private static int? ReadPin(IConfigurationSection section)
    {
        var raw = section[nameof(GpioPin)];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pin) || pin < 0 || pin > MaxGpioPin)
        {
            throw new SettingException($"{Section}:{nameof(GpioPin)}", $"'{raw}' is not a GPIO line number from 0 to {MaxGpioPin}");
        }

        return pin;
    }

    private static string? ReadLedName(IConfigurationSection section)
    {
        var raw = section[nameof(BoardLed)];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        // A name, not a path: the server writes only under /sys/class/leds.
        if (raw.IndexOfAny(['/', '\\', '\0']) >= 0 || raw is "." or ".." || raw.Trim() != raw)
        {
            throw new SettingException($"{Section}:{nameof(BoardLed)}", $"'{raw}' is not an LED name under /sys/class/leds (e.g. ACT or led0)");
        }

        return raw;
    }
}
