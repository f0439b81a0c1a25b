using System.Text.RegularExpressions;
using SecureCam.Pki;
using SecureCam.Server.Configuration;
using SecureCam.Telemetry;

namespace SecureCam.Server.Telemetry;

/// <summary>
/// Reads the `Telemetry` section into the library's <see cref="TelemetryOptions"/>, fills in what the server's PKI
/// store implies, and loads every file once, so that a bad setting stops the start with one line naming its key.
/// </summary>
/// <remarks>
/// Server-side conveniences on top of the library's keys:
/// <list type="bullet">
/// <item>Telemetry is on when a <c>Collector</c> is set (unless <c>Enabled</c> says false), off otherwise.</item>
/// <item><c>DeviceName</c> NAME means pki/issued/NAME/chain.pem and key.pem (made by <c>securecam-pki issue-device NAME</c>).</item>
/// <item>In verified mode <c>CaFile</c> defaults to the PKI store's ca.crt, and then <c>CrlFile</c> to its crl.pem.</item>
/// </list>
/// </remarks>
internal static partial class TelemetrySettings
{
    public const string DeviceNameKey = "DeviceName";

    private static readonly string Section = TelemetryOptions.SectionName;

    // Every key the section may hold: a misspelt key would otherwise silently leave telemetry off or unverified.
    private static readonly HashSet<string> KnownKeys = new(
        typeof(TelemetryOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Append(DeviceNameKey),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The validated options (with file paths made absolute); throws <see cref="SettingException"/>.</summary>
    public static TelemetryOptions Read(IConfiguration configuration, ServerSettings server)
    {
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            if (!KnownKeys.Contains(child.Key))
            {
                throw new SettingException(child.Path, $"unknown setting (known: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))})");
            }
        }

        var options = Bind(section);
        if (section[nameof(TelemetryOptions.Enabled)] is null)
        {
            options.Enabled = !string.IsNullOrWhiteSpace(options.Collector);
        }

        ApplyDeviceName(options, section[DeviceNameKey], server.PkiDirectory);
        var crlDefaulted = false;
        if (options.Enabled && TelemetryModeNames.TryParse(options.Mode) == TelemetryMode.Verified && string.IsNullOrWhiteSpace(options.CaFile))
        {
            var store = PkiStore.Open(server.PkiDirectory);
            options.CaFile = store.CaCertificatePath;

            // The same CA's live CRL: a collector whose certificate the owner revokes is dropped within seconds.
            if (string.IsNullOrWhiteSpace(options.CrlFile))
            {
                options.CrlFile = store.CrlPath;
                crlDefaulted = true;
            }
        }

        try
        {
            options.Validate();
        }
        catch (TelemetryConfigurationException ex)
        {
            // The library's messages already start with the key ("Telemetry:Mode: …").
            throw new SettingException(ex.Message, ex);
        }

        if (options.Enabled)
        {
            LoadFiles(options, section[DeviceNameKey], crlDefaulted);
        }

        return options;
    }

    private static TelemetryOptions Bind(IConfigurationSection section)
    {
        var options = new TelemetryOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // "Failed to convert configuration value 'soon' at 'Telemetry:Interval' to type 'System.TimeSpan'."
            var match = ConversionFailure().Match(ex.Message);
            if (!match.Success)
            {
                throw new SettingException(Section, ErrorText.FirstLine(ex.Message));
            }

            throw new SettingException(match.Groups["key"].Value, $"'{match.Groups["value"].Value}' is not {Expected(match.Groups["type"].Value)}");
        }

        return options;
    }

    private static string Expected(string type) => type switch
    {
        "System.TimeSpan" => "a time span (e.g. 00:00:10)",
        "System.Int32" => "a whole number",
        "System.Boolean" => "true or false",
        _ => "a " + type,
    };

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

    /// <summary>Loads the CA and the device identity now, naming the key whose file is missing or unusable.</summary>
    private static void LoadFiles(TelemetryOptions options, string? deviceName, bool crlDefaulted)
    {
        if (!string.IsNullOrWhiteSpace(options.CaFile))
        {
            options.CaFile = Path.GetFullPath(options.CaFile);
            var key = $"{Section}:{nameof(TelemetryOptions.CaFile)}";
            RequireFile(key, options.CaFile, "the CA certificate the collector must chain to");
            Load(key, () => CertificateFiles.LoadCertificates(options.CaFile));
        }

        if (!string.IsNullOrWhiteSpace(options.CrlFile))
        {
            options.CrlFile = Path.GetFullPath(options.CrlFile);
            var key = $"{Section}:{nameof(TelemetryOptions.CrlFile)}";

            // A CRL named on purpose must be there; the default one may appear later (nothing is revoked until then).
            if (!crlDefaulted)
            {
                RequireFile(key, options.CrlFile, "the CA's certificate revocation list");
            }

            Load(key, () => RevocationFile.Open(options.CrlFile, CertificateFiles.LoadCertificates(options.CaFile!)));
        }

        if (!string.IsNullOrWhiteSpace(options.DeviceCertFile))
        {
            options.DeviceCertFile = Path.GetFullPath(options.DeviceCertFile);
            options.DeviceKeyFile = Path.GetFullPath(options.DeviceKeyFile!);
            var named = !string.IsNullOrWhiteSpace(deviceName);
            var hint = named ? $" (make it with `securecam-pki issue-device {deviceName}`)" : string.Empty;
            RequireFile(named ? $"{Section}:{DeviceNameKey}" : $"{Section}:{nameof(TelemetryOptions.DeviceCertFile)}", options.DeviceCertFile, "the device certificate" + hint);
            RequireFile(named ? $"{Section}:{DeviceNameKey}" : $"{Section}:{nameof(TelemetryOptions.DeviceKeyFile)}", options.DeviceKeyFile, "the device key" + hint);
            Load(named ? $"{Section}:{DeviceNameKey}" : $"{Section}:{nameof(TelemetryOptions.DeviceCertFile)}", () => DtlsIdentity.Load(options.DeviceCertFile, options.DeviceKeyFile));
        }
    }

    private static void RequireFile(string key, string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new SettingException(key, $"{path} does not exist ({what})");
        }
    }

    private static void Load(string key, Func<object> load)
    {
        try
        {
            _ = load();
        }
        catch (Exception ex) when (ex is TelemetryConfigurationException or IOException or UnauthorizedAccessException)
        {
            throw new SettingException(key, ErrorText.FirstLine(ex.Message));
        }
    }

    [GeneratedRegex("configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
