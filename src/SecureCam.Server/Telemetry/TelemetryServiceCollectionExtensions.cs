using SecureCam.Telemetry;

namespace SecureCam.Server.Telemetry;

/// <summary>Registers telemetry in the server: the options read at start, the snapshot source, the hosted reporter.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddSecureCamTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<TelemetrySnapshotSource>();
        services.AddSingleton<TelemetryService>();

        // Registered even when off: it returns at once, and /api/status still says "off".
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryService>());
        return services;
    }
}
