using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
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
                metrics.AddPrometheusExporter();
                if (settings.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                        exporter.HttpClientFactory = () => CreateOtlpClient(settings);
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.OtlpInterval.TotalMilliseconds;
                    });
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

    /// <summary>
    /// The OTLP client: the certificate is offered only when the endpoint's handshake asks for one (TLS sends a
    /// client certificate only on a CertificateRequest), and with <c>OtlpCaFile</c> the endpoint must chain to it alone.
    /// </summary>
    private static HttpClient CreateOtlpClient(MetricsSettings settings)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (settings.OtlpClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (settings.OtlpTrust is { } trust)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) => TrustedBy(trust, presented, errors);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private static bool TrustedBy(X509Certificate2Collection trust, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }
}
