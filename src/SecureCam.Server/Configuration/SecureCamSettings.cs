using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
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
/// Where settings are read: <see cref="AddSecureCamSettings"/> registers every section of the configuration
/// (<see cref="SecureCamConfiguration"/> layers the files, the environment and the command line) with the Options
/// pattern: bound by the configuration-binder source generator, completed after binding (list-or-string keys,
/// environment fallbacks, absolute paths, derived defaults, files loaded), validated, and validated on start.
/// </summary>
internal static class SecureCamSettingsServices
{
    /// <summary>
    /// The one registration of every section, for <see cref="SecureCamSettings"/> (`serve`, `demo`, `doctor`, the
    /// tests) and for any host that wants the sections as <see cref="IOptions{TOptions}"/> or as plain singletons.
    /// </summary>
    public static IServiceCollection AddSecureCamSettings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Each Bind below is intercepted by the source generator (no reflection): keep the calls on concrete types.
        var server = configuration.GetSection(ServerSettings.Section);
        services.AddOptions<ServerSettings>().Bind(server).PostConfigure(o => o.Resolve(server)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerSettings>, ServerSettingsValidator>();

        var camera = configuration.GetSection(CameraOptions.SectionName);
        services.AddOptions<CameraOptions>().Bind(camera).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CameraOptions>, CameraSettingsValidator>();

        var acme = configuration.GetSection(AcmeSettings.Section);
        services.AddOptions<AcmeSettings>().Bind(acme).PostConfigure<IOptions<ServerSettings>>((o, s) => o.Resolve(acme, s.Value)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcmeSettings>, AcmeSettingsValidator>();

        var telemetry = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>().Bind(telemetry).PostConfigure<IOptions<ServerSettings>>((o, s) => TelemetrySettings.Resolve(o, telemetry, s.Value)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>>(new TelemetrySettingsValidator(telemetry));

        var indicator = configuration.GetSection(IndicatorSettings.Section);
        services.AddOptions<IndicatorSettings>().Bind(indicator).PostConfigure(o => o.Resolve(indicator)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IndicatorSettings>, IndicatorSettingsValidator>();

        var metrics = configuration.GetSection(MetricsSettings.Section);
        services.AddOptions<MetricsSettings>().Bind(metrics).PostConfigure<IOptions<ServerSettings>>((o, s) => o.Resolve(metrics, s.Value)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsSettings>, MetricsSettingsValidator>();

        var enrollment = configuration.GetSection(EnrollmentSettings.Section);
        services.AddOptions<EnrollmentSettings>().Bind(enrollment).PostConfigure<IOptions<ServerSettings>>((o, s) => o.Resolve(enrollment, s.Value)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnrollmentSettings>, EnrollmentSettingsValidator>();

        // The many constructor consumers take the section itself, resolved (and so validated) once.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ServerSettings>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CameraOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AcmeSettings>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TelemetryOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IndicatorSettings>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MetricsSettings>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EnrollmentSettings>>().Value);
        return services;
    }
}

/// <summary>
/// The settings of one run, read through <see cref="SecureCamSettingsServices.AddSecureCamSettings"/> in a small
/// container of their own: `serve` validates every section before anything listens and hands the values to the
/// host it builds (some registrations, such as ACME's, depend on them); `demo` and `doctor` resolve only the
/// sections they need. A bad value is one <see cref="SettingException"/> (<see cref="Get{T}"/>) or one
/// <see cref="StartupException"/> line (<see cref="Stop{T}"/>) naming its key.
/// </summary>
internal sealed class SecureCamSettings : IDisposable
{
    private readonly ServiceProvider _services;

    private SecureCamSettings(ServiceProvider services) => _services = services;

    /// <summary>Registers every section; nothing is read until a section is asked for.</summary>
    public static SecureCamSettings Open(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSecureCamSettings(configuration);
#pragma warning disable ASP0000 // A container of settings alone, built before the host: it holds no service of the host's.
        return new SecureCamSettings(services.BuildServiceProvider());
#pragma warning restore ASP0000
    }

    public ServerSettings Server => Get<ServerSettings>();

    public CameraOptions Camera => Get<CameraOptions>();

    public AcmeSettings Acme => Get<AcmeSettings>();

    public TelemetryOptions Telemetry => Get<TelemetryOptions>();

    public IndicatorSettings Indicator => Get<IndicatorSettings>();

    public MetricsSettings Metrics => Get<MetricsSettings>();

    public EnrollmentSettings Enrollment => Get<EnrollmentSettings>();

    /// <summary>One section, bound, completed and validated (once; later calls return the same object).</summary>
    public T Get<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>()
        where T : class => Settings(() => _services.GetRequiredService<IOptions<T>>().Value);

    /// <summary>What ValidateOnStart runs when a host starts: every section, in the order registered.</summary>
    public void ValidateAll() => Settings(() =>
    {
        _services.GetRequiredService<IStartupValidator>().Validate();
        return true;
    });

    /// <summary>Runs <paramref name="read"/>; a bad setting becomes the <see cref="StartupException"/> line `serve`, `demo` and `doctor` print.</summary>
    public static T Stop<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (SettingException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
    }

    /// <inheritdoc cref="Stop{T}(Func{T})"/>
    public static void Stop(Action read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Stop(() =>
        {
            read();
            return true;
        });
    }

    public void Dispose() => _services.Dispose();

    private static T Settings<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (SettingRules.Translate(ex) is { } setting && !ReferenceEquals(setting, ex))
        {
            throw setting;
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

/// <summary>The <c>Camera</c> section's ranges and source, as <see cref="CameraOptions.Validate"/> states them.</summary>
internal sealed class CameraSettingsValidator : IValidateOptions<CameraOptions>
{
    public ValidateOptionsResult Validate(string? name, CameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(Pki.ErrorText.FirstLine(ex.Message));
        }
    }
}
