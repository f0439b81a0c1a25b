using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SecureCam.Pki;
using SecureCam.Server.Metrics;
using SecureCam.Telemetry;

namespace SecureCam.Collector.Metrics;

/// <summary>What the collector's metrics listener needs: where, as whom, whom to let in, and where to push.</summary>
internal sealed record MetricsListenerOptions
{
    /// <summary>HTTPS (TCP) address of /metrics; null = no listener.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>The collector's certificate and key (PEM), shown to scrapers as they are to cameras.</summary>
    public required string CertificatePath { get; init; }

    public required string KeyPath { get; init; }

    /// <summary>The local CA scrapers' client certificates must be issued by.</summary>
    public X509Certificate2Collection? ClientCa { get; init; }

    /// <summary>The CA's CRL (pki/crl.pem), re-read when it changes; null = no revocation check.</summary>
    public string? CrlPath { get; init; }

    /// <summary>OTLP/HTTP endpoint to push to; null = no push.</summary>
    public Uri? OtlpEndpoint { get; init; }

    public X509Certificate2? OtlpClientCertificate { get; init; }

    public X509Certificate2Collection? OtlpTrust { get; init; }
}

/// <summary>
/// The collector's own /metrics (Prometheus text format) behind mutual TLS, as the camera server has it: a client
/// certificate from the local CA is required, monitor and admin certificates may read /metrics, viewers get 403;
/// and OTLP/HTTP export when an endpoint is given. Kestrel, because the platform's HttpListener cannot ask for a
/// client certificate on Linux.
/// </summary>
internal static class MetricsListener
{
    /// <summary>The same push interval as the camera server's default, so both views agree.</summary>
    private static readonly TimeSpan OtlpInterval = TimeSpan.FromSeconds(15);

    private const string MetricsPath = "/metrics";

    /// <summary>Starts what <paramref name="options"/> asks for (nothing when neither a listener nor OTLP is); dispose to stop.</summary>
    public static async Task<IAsyncDisposable?> StartAsync(MetricsListenerOptions options, CameraMetrics metrics, CancellationToken cancellationToken)
    {
        if (options.Listen is null)
        {
            if (options.OtlpEndpoint is null)
            {
                return null;
            }

            var provider = Configure(Sdk.CreateMeterProviderBuilder(), options, metrics).Build();
            return new DisposableProvider(provider);
        }

        var app = Build(options, metrics);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new StoppingApplication(app);
    }

    private static MeterProviderBuilder Configure(MeterProviderBuilder builder, MetricsListenerOptions options, CameraMetrics metrics)
    {
        builder.ConfigureResource(resource => resource.AddService("securecam-collector")).AddMeter(metrics.Meter.Name, "System.Runtime");
        if (options.Listen is not null)
        {
            builder.AddPrometheusExporter();
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            builder.AddOtlpHttpExporter(OtlpHttpExport.MetricsUrl(endpoint), OtlpInterval, options.OtlpClientCertificate, options.OtlpTrust);
        }

        return builder;
    }

    private static WebApplication Build(MetricsListenerOptions options, CameraMetrics metrics)
    {
        var listen = options.Listen!;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddOpenTelemetry().WithMetrics(m => Configure(m, options, metrics));

        var ca = options.ClientCa ?? throw new TelemetryConfigurationException("--metrics-listen needs --ca or --metrics-ca (the CA scrapers' client certificates come from)");
        var serverCertificate = LoadServerCertificate(options.CertificatePath, options.KeyPath);
        var revocation = new CrlFile(options.CrlPath, ca);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen, l => l.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                CheckCertificateRevocation = false,
                ClientCertificateValidation = (certificate, _, _) => IsClientOf(certificate, ca, revocation),
            }));
        });

        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(MetricsPath) && Role(context) is not (ClientRole.Monitor or ClientRole.Admin))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        return app;
    }

    private static ClientRole? Role(HttpContext context) =>
        context.Connection.ClientCertificate is { } certificate ? CertificateProfiles.ReadRole(certificate) : null;

    /// <summary>Issued by the local CA for clientAuth, valid now, not revoked, and carrying a client role (a device certificate is no scraper).</summary>
    private static bool IsClientOf(X509Certificate2 certificate, X509Certificate2Collection ca, CrlFile revocation)
    {
        try
        {
            return PeerCertificateCheck.CheckChain([certificate], ca, peerIsServer: false) is null
                && CertificateProfiles.ReadRole(certificate) is not null
                && !revocation.IsRevoked(certificate);
        }
        catch (Exception ex) when (ex is CryptographicException or PkiException or IOException)
        {
            return false;
        }
    }

    private static X509Certificate2 LoadServerCertificate(string certificatePath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

            // A key created from PEM is ephemeral; SslStream presents one reliably only from a PKCS#12 import.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            throw new TelemetryConfigurationException($"--cert/--key: cannot use {certificatePath} with {keyPath} for HTTPS: {ex.Message}");
        }
    }

    /// <summary>The CA's CRL, checked against the CA and re-read when the file changes; while it cannot be read every scraper is refused.</summary>
    private sealed class CrlFile(string? path, X509Certificate2Collection ca)
    {
        private readonly Lock _gate = new();
        private DateTime _stamp;
        private RevocationList? _list;

        public bool IsRevoked(X509Certificate2 certificate)
        {
            if (path is null)
            {
                return false;
            }

            lock (_gate)
            {
                var stamp = File.GetLastWriteTimeUtc(path);
                if (stamp != _stamp)
                {
                    _list = RevocationList.Load(File.ReadAllBytes(path), ca[0]);
                    _stamp = stamp;
                }

                return _list?.IsRevoked(certificate) ?? false;
            }
        }
    }

    private sealed class DisposableProvider(MeterProvider provider) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            provider.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class StoppingApplication(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
