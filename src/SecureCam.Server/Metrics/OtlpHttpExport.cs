using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace SecureCam.Server.Metrics;

/// <summary>
/// OTLP/HTTP metric export with our TLS rules; compiled into the server and the collector (linked file), which
/// both push to an OpenTelemetry collector the same way.
/// </summary>
internal static class OtlpHttpExport
{
    /// <summary>
    /// Pushes every <paramref name="interval"/> to <paramref name="endpoint"/> (the full URL, e.g. …/v1/metrics).
    /// <paramref name="clientCertificate"/> is offered only when the endpoint's handshake asks for one (TLS sends a
    /// client certificate only on a CertificateRequest); with <paramref name="trust"/> the endpoint must chain to it alone.
    /// </summary>
    public static MeterProviderBuilder AddOtlpHttpExporter(
        this MeterProviderBuilder metrics, Uri endpoint, TimeSpan interval, X509Certificate2? clientCertificate, X509Certificate2Collection? trust) =>
        metrics.AddOtlpExporter((exporter, reader) =>
        {
            exporter.Endpoint = endpoint;
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.HttpClientFactory = () => CreateClient(clientCertificate, trust);
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
        });

    /// <summary>The full OTLP/HTTP metrics URL: /v1/metrics is added when <paramref name="endpoint"/> has no path.</summary>
    public static Uri MetricsUrl(Uri endpoint) => endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "/v1/metrics") : endpoint;

    private static HttpClient CreateClient(X509Certificate2? clientCertificate, X509Certificate2Collection? trust)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (trust is not null)
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
