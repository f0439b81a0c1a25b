namespace SecureCam.Server.Hosting;

/// <summary>
/// Where the Debian package puts things (tools/packaging). The binary at /usr/bin/securecam reads
/// /etc/securecam/appsettings.json before ./appsettings.json, so `serve`, `demo` and `doctor` typed in a
/// shell see the settings the service runs with (its PKI in /var/lib/securecam/pki). A build run from a
/// checkout never reads /etc: tests on a machine with the package installed stay unaffected.
/// </summary>
internal static class InstalledLayout
{
    public const string Binary = "/usr/bin/securecam";

    public const string ConfigFile = "/etc/securecam/appsettings.json";

    public const string PkiDirectory = "/var/lib/securecam/pki";

    /// <summary>The system settings file when this process is the installed binary and the file exists, else null.</summary>
    public static string? SystemConfigFile =>
        string.Equals(Environment.ProcessPath, Binary, StringComparison.Ordinal) && File.Exists(ConfigFile) ? ConfigFile : null;
}
