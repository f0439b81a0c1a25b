using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SecureCam.Pki;
using SecureCam.Telemetry;

namespace SecureCam.Server.Configuration;

/// <summary>
/// What every section's options share: the checks behind their one-line errors, list-or-string keys, and the
/// one place where a binder or validation exception becomes a <see cref="SettingException"/> naming its key.
/// </summary>
internal static partial class SettingRules
{
    public static ValidateOptionsResult Fail(string key, string problem) => ValidateOptionsResult.Fail($"{key}: {problem}");

    /// <summary>The first of <paramref name="failures"/> that is not null, as the section's one line.</summary>
    public static ValidateOptionsResult First(params string?[] failures) =>
        failures.FirstOrDefault(f => f is not null) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;

    public static string? Range(string key, int value, int min, int max) =>
        value >= min && value <= max ? null : $"{key}: '{value.ToString(CultureInfo.InvariantCulture)}' is not a whole number from {min} to {max}";

    /// <summary>The binder reads enums by name or by number: a number outside the names is refused here.</summary>
    public static string? Defined<TEnum>(string key, TEnum value)
        where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : $"{key}: '{value}' is not one of {Names<TEnum>()}";

    /// <summary>
    /// A list key: a JSON array, or one string "a;b" (an environment variable holds one string), which then wins
    /// over the array; each item with the key to name when it is bad.
    /// </summary>
    public static List<(string Key, string? Value)> ReadList(IConfigurationSection list) =>
        list.Value is { } single
            ? single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (list.Path, (string?)v)).ToList()
            : list.GetChildren().Select(c => (c.Path, c.Value)).ToList();

    /// <summary>A misspelt key would otherwise silently leave a feature off or unverified.</summary>
    public static void RejectUnknownKeys(IConfigurationSection section, IEnumerable<string> known)
    {
        var names = known.ToList();
        foreach (var child in section.GetChildren())
        {
            if (!names.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new SettingException(child.Path, $"unknown setting (known: {string.Join(", ", names)})");
            }
        }
    }

    /// <summary>
    /// The one translation of what reading a section can throw into a <see cref="SettingException"/> whose message
    /// is the one line: the first validation failure, or the binder's "Failed to convert … at 'KEY' …" made short.
    /// Null when <paramref name="error"/> is not about a setting.
    /// </summary>
    public static SettingException? Translate(Exception error) => error switch
    {
        SettingException setting => setting,
        OptionsValidationException validation => new SettingException(validation.Failures.FirstOrDefault() ?? validation.Message, validation),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Translate(aggregate.InnerExceptions[0]),
        TelemetryConfigurationException telemetry => new SettingException(telemetry.Message, telemetry),
        InvalidOperationException binder when ConversionFailure().Match(binder.Message) is { Success: true } match =>
            new SettingException(match.Groups["key"].Value, $"'{match.Groups["value"].Value}' is not {Expected(match.Groups["type"].Value)}"),
        _ => null,
    };

    private static string Expected(string type) => type switch
    {
        "System.TimeSpan" => "a time span (e.g. 00:00:10)",
        "System.Int32" => "a whole number",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.Uri" => "a URL",
        _ when type == typeof(CipherPreference).FullName => "one of " + Names<CipherPreference>(),
        _ when type == typeof(TlsOutputMode).FullName => "one of " + Names<TlsOutputMode>(),
        _ => "a " + ErrorText.FirstLine(type),
    };

    private static string Names<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));

    [GeneratedRegex("configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
