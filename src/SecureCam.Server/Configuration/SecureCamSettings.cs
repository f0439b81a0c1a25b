using SecureCam.Camera;
using SecureCam.Server.Acme;
using SecureCam.Server.Enrollment;
using SecureCam.Server.Hosting;
using SecureCam.Server.Indicator;
using SecureCam.Server.Metrics;
using SecureCam.Server.Telemetry;
using SecureCam.Telemetry;

namespace SecureCam.Server.Configuration;

/// <summary>
/// Where settings are read: every section of the configuration (<see cref="SecureCamConfiguration"/> layers
/// the files, the environment and the command line), each by its one reader, validated before anything
/// listens. `serve`, `demo`, `doctor` and the tests all come through here, so they cannot read a setting
/// differently; a bad value stops them with one <see cref="StartupException"/> line naming its key.
/// </summary>
internal sealed class SecureCamSettings
{
    /// <summary><c>Server</c>: listen addresses, PKI folder, connection limits (<see cref="ServerSettings"/>).</summary>
    public required ServerSettings Server { get; init; }

    /// <summary><c>Camera</c>: the frame source and its capture settings, bound by the configuration-binder source generator.</summary>
    public required CameraOptions Camera { get; init; }

    /// <summary><c>Acme</c>: publicly trusted certificates; off unless <c>Acme:Enabled</c>.</summary>
    public required AcmeSettings Acme { get; init; }

    /// <summary><c>Telemetry</c>: DTLS telemetry to a collector; off unless a collector is set.</summary>
    public required TelemetryOptions Telemetry { get; init; }

    /// <summary><c>Indicator</c>: the "being watched" light; off unless a pin or LED is named.</summary>
    public required IndicatorSettings Indicator { get; init; }

    /// <summary><c>Metrics</c>: /metrics and the optional OTLP export.</summary>
    public required MetricsSettings Metrics { get; init; }

    /// <summary><c>Enrollment</c>: the one-time-link listener for phones.</summary>
    public required EnrollmentSettings Enrollment { get; init; }

    /// <summary>Every section, validated; files the settings name (CA, device identity, OTLP client) are loaded here.</summary>
    public static SecureCamSettings Read(IConfiguration configuration) => Stop(() =>
    {
        var server = ServerSettings.Read(configuration);
        return new SecureCamSettings
        {
            Server = server,
            Camera = ReadCamera(configuration),
            Acme = AcmeSettings.Read(configuration, server),
            Telemetry = TelemetrySettings.Read(configuration, server),
            Indicator = IndicatorSettings.Read(configuration),
            Metrics = MetricsSettings.Read(configuration, server),
            Enrollment = EnrollmentSettings.Read(configuration, server),
        };
    });

    /// <summary>
    /// The <c>Server</c> section alone: for `demo`, which must know the PKI folder before the files the other
    /// sections name can exist.
    /// </summary>
    public static ServerSettings ReadServer(IConfiguration configuration) => Stop(() => ServerSettings.Read(configuration));

    /// <summary>
    /// The sections `doctor` reports on, <c>Server</c> and <c>Acme</c>, read exactly as `serve` reads them; the
    /// others (camera, telemetry, metrics) say nothing about the network and may name files the doctor need not open.
    /// </summary>
    public static (ServerSettings Server, AcmeSettings Acme) ReadNetwork(IConfiguration configuration) => Stop(() =>
    {
        var server = ServerSettings.Read(configuration);
        return (server, AcmeSettings.Read(configuration, server));
    });

    private static CameraOptions ReadCamera(IConfiguration configuration)
    {
        var camera = new CameraOptions();
        try
        {
            configuration.GetSection(CameraOptions.SectionName).Bind(camera);
            camera.Validate();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key: "Failed to convert configuration value 'x' at 'Camera:Fps' to type …".
            throw new SettingException(CameraOptions.SectionName, Pki.ErrorText.FirstLine(ex.Message));
        }
        catch (ArgumentException ex)
        {
            throw new SettingException(Pki.ErrorText.FirstLine(ex.Message));
        }

        return camera;
    }

    private static T Stop<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SettingException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
    }
}

/// <summary>
/// A configuration value that stops the start. <see cref="Key"/> is the full configuration key
/// (e.g. <c>Server:Listen:0</c>) so the one-line error tells the owner exactly what to fix.
/// </summary>
internal sealed class SettingException : Exception
{
    public SettingException(string key, string problem)
        : base($"{key}: {problem}")
    {
        Key = key;
        Problem = problem;
    }

    public SettingException()
    {
        Key = string.Empty;
        Problem = string.Empty;
    }

    public SettingException(string message)
        : base(message)
    {
        Key = string.Empty;
        Problem = message;
    }

    public SettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
        Problem = message;
    }

    public string Key { get; }

    public string Problem { get; }
}
