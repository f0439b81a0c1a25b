namespace SecureCam.Server.Hosting;

/// <summary>
/// Where settings come from, lowest precedence first: /etc/securecam/appsettings.json for the installed
/// binary (<see cref="InstalledLayout"/>), ./appsettings.json (optional), the --config FILE,
/// SECURECAM__SECTION__KEY environment variables, then the command-line options.
/// </summary>
internal static class SecureCamConfiguration
{
    public const string EnvironmentPrefix = "SECURECAM__";

    public static IConfigurationRoot Build(string? configFile, IReadOnlyDictionary<string, string?> commandLine, string? baseDirectory = null)
    {
        var directory = baseDirectory ?? Directory.GetCurrentDirectory();
        var builder = new ConfigurationBuilder().SetBasePath(directory);
        if (InstalledLayout.SystemConfigFile is { } system)
        {
            builder.AddJsonFile(system, optional: true, reloadOnChange: false);
        }

        builder.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (!string.IsNullOrWhiteSpace(configFile))
        {
            var path = Path.GetFullPath(configFile, directory);
            if (!File.Exists(path))
            {
                throw new StartupException($"--config {configFile}: no such file ({path})");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            throw new StartupException("configuration file is not valid JSON: " + ex.Message, ex);
        }
    }
}
