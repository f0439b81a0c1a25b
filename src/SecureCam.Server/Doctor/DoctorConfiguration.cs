namespace SecureCam.Server.Doctor;

/// <summary>
/// Reads the settings the doctor shares with `serve` (see CONFIG-CONTRACT): for the installed binary
/// /etc/securecam/appsettings.json (<see cref="Hosting.InstalledLayout"/>), appsettings.json in the working
/// directory, then --config FILE, then SECURECAM__SECTION__KEY environment variables; later sources win.
/// </summary>
internal static class DoctorConfiguration
{
    public static IConfiguration Build(string? configFile)
    {
        var builder = new ConfigurationBuilder().SetBasePath(Directory.GetCurrentDirectory());
        if (Hosting.InstalledLayout.SystemConfigFile is { } system)
        {
            builder.AddJsonFile(system, optional: true, reloadOnChange: false);
        }

        builder.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"--config {configFile}: no such file");
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        return builder.AddEnvironmentVariables("SECURECAM__").Build();
    }

    /// <summary>Server:Listen as a list (Server:Listen:0, :1, …), or a single string value.</summary>
    public static IReadOnlyList<string> ListenUrls(IConfiguration configuration)
    {
        var section = configuration.GetSection("Server:Listen");
        var urls = section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
        if (urls.Count == 0 && !string.IsNullOrWhiteSpace(section.Value))
        {
            urls.Add(section.Value);
        }

        return urls;
    }

    /// <summary>Server:PublicListen (listened on besides Server:Listen), in the same shapes.</summary>
    public static IReadOnlyList<string> PublicListenUrls(IConfiguration configuration) => List(configuration, "Server:PublicListen");

    /// <summary>Acme:Identifiers, else the older Acme:Domains, in the same shapes ("a;b" as one string too).</summary>
    public static IReadOnlyList<string> AcmeIdentifiers(IConfiguration configuration)
    {
        var identifiers = List(configuration, "Acme:Identifiers");
        return identifiers.Count > 0 ? identifiers : List(configuration, "Acme:Domains");
    }

    /// <summary>Server:PkiDirectory, else $SECURECAM_PKI, else ./pki.</summary>
    public static string PkiDirectory(IConfiguration configuration) =>
        NonEmpty(configuration["Server:PkiDirectory"])
        ?? NonEmpty(Environment.GetEnvironmentVariable("SECURECAM_PKI"))
        ?? "pki";

    public static string ServerCertificateName(IConfiguration configuration) =>
        NonEmpty(configuration["Server:ServerCertificateName"]) ?? "server";

    private static List<string> List(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
            .Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
        if (values.Count == 0 && !string.IsNullOrWhiteSpace(section.Value))
        {
            values.AddRange(section.Value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return values;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
