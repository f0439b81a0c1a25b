namespace SecureCam.Server.Indicator;

/// <summary>Registers the being-watched light: the settings read at start, the machine's hardware, the hosted light.</summary>
internal static class IndicatorServiceCollectionExtensions
{
    public static IServiceCollection AddBeingWatchedLight(this IServiceCollection services, IndicatorSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(IndicatorHardware.System);
        services.AddSingleton<BeingWatchedLight>();

        // Registered even when off: /video and /snapshot tell it regardless, and /api/status says "not configured".
        services.AddHostedService(sp => sp.GetRequiredService<BeingWatchedLight>());
        return services;
    }
}
