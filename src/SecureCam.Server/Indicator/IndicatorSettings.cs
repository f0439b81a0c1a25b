using System.Globalization;
using Microsoft.Extensions.Options;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Indicator;

/// <summary>
/// The <c>Indicator</c> section: the "being watched" light. Off unless a key is set; both may be set (an LED
/// on a pin and the board's own LED). Registered by <see cref="SecureCamSettingsServices.AddSecureCamSettings"/>;
/// a bad value stops the start with one line naming its key.
/// </summary>
internal sealed class IndicatorSettings
{
    public const string Section = "Indicator";

    /// <summary>Highest GPIO line number accepted: above any board's chip (a Pi 5's header is on lines 0-53).</summary>
    public const int MaxGpioPin = 1023;

    private static readonly string[] KnownKeys = [nameof(GpioPin), nameof(BoardLed)];

    /// <summary>GPIO line (logical number, as `gpioinfo` lists it) with an LED driven high to light; null = none.</summary>
    [ConfigurationKeyName("GpioPin")]
    public string? GpioPinText { get; set; }

    /// <summary>Name under /sys/class/leds of the board's LED (a Pi's `ACT` or `led0`); null = none.</summary>
    public string? BoardLed { get; set; }

    /// <summary><see cref="GpioPinText"/>, parsed. A field, not a property: the binder binds only properties.</summary>
    public int? GpioPin;

    public bool Enabled => GpioPin is not null || BoardLed is not null;

    /// <summary>After binding: a misspelt key would otherwise leave the light silently off; an empty name is no LED.</summary>
    public void Resolve(IConfigurationSection section)
    {
        SettingRules.RejectUnknownKeys(section, KnownKeys);
        if (string.IsNullOrWhiteSpace(BoardLed))
        {
            BoardLed = null;
        }

        if (!string.IsNullOrWhiteSpace(GpioPinText))
        {
            GpioPin = int.TryParse(GpioPinText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pin)
                ? pin
                : throw new SettingException($"{Section}:{nameof(GpioPin)}", PinProblem(GpioPinText));
        }
    }

    internal static string PinProblem(string raw) => $"'{raw}' is not a GPIO line number from 0 to {MaxGpioPin}";
}

/// <summary>The pin's range and the LED's name (a name, not a path: the server writes only under /sys/class/leds).</summary>
internal sealed class IndicatorSettingsValidator : IValidateOptions<IndicatorSettings>
{
    public ValidateOptionsResult Validate(string? name, IndicatorSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Key = IndicatorSettings.Section;
        if (options.GpioPin is < 0 or > IndicatorSettings.MaxGpioPin)
        {
            return SettingRules.Fail($"{Key}:{nameof(IndicatorSettings.GpioPin)}", IndicatorSettings.PinProblem(options.GpioPinText ?? string.Empty));
        }

        var led = options.BoardLed;
        return led is not null && (led.IndexOfAny(['/', '\\', '\0']) >= 0 || led is "." or ".." || led.Trim() != led)
            ? SettingRules.Fail($"{Key}:{nameof(IndicatorSettings.BoardLed)}", $"'{led}' is not an LED name under /sys/class/leds (e.g. ACT or led0)")
            : ValidateOptionsResult.Success;
    }
}
