using Microsoft.Extensions.Options;
using SecureCam.Pki;
using SecureCam.Server.Configuration;
using SecureCam.Telemetry;

namespace SecureCam.Server.Telemetry;

/// <summary>
/// The server's part of the `Telemetry` section, on top of the library's <see cref="TelemetryOptions"/> (bound by
/// the source generator in <see cref="SecureCamSettingsServices.AddSecureCamSettings"/>): what the server's PKI
/// store implies, and every file loaded once by <see cref="TelemetrySettingsValidator"/>, so that a bad setting
/// stops the start with one line naming its key.
/// </summary>
/// <remarks>
/// Server-side conveniences on top of the library's keys:
/// <list type="bullet">
/// <item>Telemetry is on when a <c>Collector</c> is set (unless <c>Enabled</c> says false), off otherwise.</item>
/// <item><c>DeviceName</c> NAME means pki/issued/NAME/chain.pem and key.pem (made by <c>securecam-pki issue-device NAME</c>).</item>
/// <item>In verified mode <c>CaFile</c> defaults to the PKI store's ca.crt, and then <c>CrlFile</c> to its crl.pem.</item>
/// </list>
/// </remarks>
internal static class TelemetrySettings
{
    public const string DeviceNameKey = "DeviceName";

    private static readonly string Section = TelemetryOptions.SectionName;

    // Every key the section may hold: a misspelt key would otherwise silently leave telemetry off or unverified.
    private static readonly string[] KnownKeys =
        [.. typeof(TelemetryOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Append(DeviceNameKey).Order(StringComparer.Ordinal)];

    /// <summary>After binding: the on/off default, the device identity and CA named through the PKI store, paths made absolute.</summary>
    public static void Resolve(TelemetryOptions options, IConfigurationSection section, ServerSettings server)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(server);
        SettingRules.RejectUnknownKeys(section, KnownKeys);
        if (section[nameof(TelemetryOptions.Enabled)] is null)
        {
            options.Enabled = !string.IsNullOrWhiteSpace(options.Collector);
        }

        ApplyDeviceName(options, section[DeviceNameKey], server.PkiDirectory);
        if (options.Enabled && TelemetryModeNames.TryParse(options.Mode) == TelemetryMode.Verified && string.IsNullOrWhiteSpace(options.CaFile))
        {
            var store = PkiStore.Open(server.PkiDirectory);
            options.CaFile = store.CaCertificatePath;

            // The same CA's live CRL: a collector whose certificate the owner revokes is dropped within seconds.
            if (string.IsNullOrWhiteSpace(options.CrlFile))
            {
                options.CrlFile = store.CrlPath;
            }
        }

        if (!options.Enabled)
        {
            return;
        }

        options.CaFile = Absolute(options.CaFile);
        options.CrlFile = Absolute(options.CrlFile);
        options.DeviceCertFile = Absolute(options.DeviceCertFile);
        options.DeviceKeyFile = Absolute(options.DeviceKeyFile);
    }

    private static string? Absolute(string? path) => string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path);

    private static void ApplyDeviceName(TelemetryOptions options, string? deviceName, string pkiDirectory)
    {
        var key = $"{Section}:{DeviceNameKey}";
        if (string.IsNullOrWhiteSpace(deviceName))
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(options.DeviceCertFile) || !string.IsNullOrWhiteSpace(options.DeviceKeyFile))
        {
            throw new SettingException(key, $"set either {DeviceNameKey} or DeviceCertFile/DeviceKeyFile, not both");
        }

        var store = PkiStore.Open(pkiDirectory);
        try
        {
            options.DeviceCertFile = store.ChainPath(deviceName);
            options.DeviceKeyFile = store.KeyPath(deviceName);
        }
        catch (PkiException ex)
        {
            throw new SettingException(key, $"'{deviceName}': {ex.Message}");
        }
    }
}

/// <summary>The library's rules for the section, then the CA, CRL and device identity loaded now, naming the key whose file is missing or unusable.</summary>
internal sealed class TelemetrySettingsValidator(IConfigurationSection section) : IValidateOptions<TelemetryOptions>
{
    private static readonly string Section = TelemetryOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
        }
        catch (TelemetryConfigurationException ex)
        {
            // The library's messages already start with the key ("Telemetry:Mode: …").
            return ValidateOptionsResult.Fail(ex.Message);
        }

        return options.Enabled && LoadFiles(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }

    private string? LoadFiles(TelemetryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.CaFile))
        {
            var key = $"{Section}:{nameof(TelemetryOptions.CaFile)}";
            if ((RequireFile(key, options.CaFile, "the CA certificate the collector must chain to") ?? Load(key, () => CertificateFiles.LoadCertificates(options.CaFile))) is { } failure)
            {
                return failure;
            }
        }

        if (!string.IsNullOrWhiteSpace(options.CrlFile))
        {
            var key = $"{Section}:{nameof(TelemetryOptions.CrlFile)}";

            // A CRL named on purpose must be there; the default one may appear later (nothing is revoked until then).
            var named = !string.IsNullOrWhiteSpace(section[nameof(TelemetryOptions.CrlFile)]);
            if (((named ? RequireFile(key, options.CrlFile, "the CA's certificate revocation list") : null)
                ?? Load(key, () => RevocationFile.Open(options.CrlFile, CertificateFiles.LoadCertificates(options.CaFile!)))) is { } failure)
            {
                return failure;
            }
        }

        if (!string.IsNullOrWhiteSpace(options.DeviceCertFile))
        {
            var deviceName = section[TelemetrySettings.DeviceNameKey];
            var named = !string.IsNullOrWhiteSpace(deviceName);
            var hint = named ? $" (make it with `securecam-pki issue-device {deviceName}`)" : string.Empty;
            var certificateKey = named ? $"{Section}:{TelemetrySettings.DeviceNameKey}" : $"{Section}:{nameof(TelemetryOptions.DeviceCertFile)}";
            var keyKey = named ? $"{Section}:{TelemetrySettings.DeviceNameKey}" : $"{Section}:{nameof(TelemetryOptions.DeviceKeyFile)}";
            return RequireFile(certificateKey, options.DeviceCertFile, "the device certificate" + hint)
                ?? RequireFile(keyKey, options.DeviceKeyFile!, "the device key" + hint)
                ?? Load(certificateKey, () => DtlsIdentity.Load(options.DeviceCertFile, options.DeviceKeyFile!));
        }

        return null;
    }

    private static string? RequireFile(string key, string path, string what) =>
        File.Exists(path) ? null : $"{key}: {path} does not exist ({what})";

    private static string? Load(string key, Func<object> load)
    {
        try
        {
            _ = load();
            return null;
        }
        catch (Exception ex) when (ex is TelemetryConfigurationException or IOException or UnauthorizedAccessException)
        {
            return $"{key}: {ErrorText.FirstLine(ex.Message)}";
        }
    }
}
