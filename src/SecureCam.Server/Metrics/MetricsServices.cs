using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SecureCam.Server.Authentication;

namespace SecureCam.Server.Metrics;

/// <summary>
/// Wires metrics into the server: the SecureCam meter and the runtime's own (CPU, RSS, GC); /metrics in the Prometheus text format for the monitor role; and OTLP/HTTP
/// export when <c>Metrics:OtlpEndpoint</c> is set. One OpenTelemetry meter provider feeds both readers.
/// </summary>
internal static class MetricsServices
{
    public const string Path = "/metrics";

    /// <summary>.NET's built-in meters: process CPU time and working set, GC counts and pauses, thread pool.</summary>
    private const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// Series one metric may hold. OpenTelemetry allocates every metric's points up front (2000 by default: about
    /// 150 KB per metric, 5 MB for the ~30 metrics here, a tenth of the idle process); ours are labelled by a
    /// stage, a reason or a GC generation, a few dozen at most. Beyond the limit a point is still counted, under
    /// <c>otel.metric.overflow</c>.
    /// </summary>
    internal const int SeriesPerMetric = 100;

    public static IServiceCollection AddSecureCamMetrics(this IServiceCollection services, MetricsSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ServerGauges>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.MonitorPolicy, p => p.RequireRole(Roles.Monitor, Roles.Admin))
            .AddPolicy(Roles.HealthPolicy, p => p.RequireRole(Roles.Viewer, Roles.Admin, Roles.Monitor));

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("securecam", serviceInstanceId: settings.InstanceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerMetrics.MeterName, RuntimeMeter);
                metrics.AddView(_ => new MetricStreamConfiguration { CardinalityLimit = SeriesPerMetric });
                metrics.AddPrometheusExporter();
                if (settings.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpHttpExporter(endpoint, settings.OtlpInterval, settings.OtlpClientCertificate, settings.OtlpTrust);
                }
            });
        return services;
    }

    /// <summary>/metrics, readable by monitor and admin certificates; the observable instruments are registered here, before the first scrape.</summary>
    public static void MapSecureCamMetrics(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ServerGauges>();
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Roles.MonitorPolicy);
    }
}
