using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting.Systemd;
using SecureCam.Camera;
using SecureCam.Server.Acme;
using SecureCam.Server.Audit;
using SecureCam.Server.Authentication;
using SecureCam.Server.Configuration;
using SecureCam.Server.Endpoints;
using SecureCam.Server.Enrollment;
using SecureCam.Server.Http;
using SecureCam.Server.Indicator;
using SecureCam.Server.Metrics;
using SecureCam.Server.Streaming;
using SecureCam.Server.Telemetry;
using SecureCam.Server.Tls;
using SecureCam.Network.Listening;

namespace SecureCam.Server.Hosting;

/// <summary>
/// Builds the whole server from a configuration: Kestrel with mutual TLS on every listen address,
/// the optional plain-HTTP listener, authentication, the endpoints. `serve`, `demo` and the tests all
/// start the server through here.
/// </summary>
internal static class SecureCamHost
{
    /// <summary>
    /// Builds (does not start) the server. Every setting is validated (<see cref="SecureCamSettings.ValidateAll"/>,
    /// what ValidateOnStart runs) and the PKI files are loaded here, so a problem surfaces as one
    /// <see cref="StartupException"/> line before anything listens.
    /// </summary>
    public static WebApplication Build(IConfiguration configuration, Action<WebApplicationBuilder>? customize = null, bool verbose = false)
    {
        using var settings = SecureCamSettings.Open(configuration);
        return Build(settings, configuration, customize, verbose);
    }

    /// <summary>
    /// Builds the server from the settings registered for <paramref name="configuration"/> (which still feeds
    /// logging); the validated sections are what the host's services take, and what decides which are registered.
    /// </summary>
    public static WebApplication Build(SecureCamSettings all, IConfiguration configuration, Action<WebApplicationBuilder>? customize = null, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(all);
        SecureCamSettings.Stop(all.ValidateAll);
        var settings = all.Server;
        if (!Directory.Exists(settings.PkiDirectory))
        {
            throw new StartupException($"Server:PkiDirectory: {settings.PkiDirectory} does not exist (create it with `securecam-pki init`, or run `securecam demo`)");
        }

        // Before anything can open a TLS context (Kestrel, the ACME client): see OpenSslGroups.
        OpenSslGroups.EnsureLimited();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        ConfigureLogging(builder.Logging, configuration, verbose);

        // Type=notify: READY=1 once Kestrel listens, STOPPING=1 on SIGTERM (nothing outside systemd).
        builder.Services.AddSystemd();
        ConfigureServices(builder.Services, settings, all.Camera);
        builder.Services.AddSecureCamAcme(all.Acme);
        builder.Services.AddSecureCamTelemetry(all.Telemetry);
        builder.Services.AddBeingWatchedLight(all.Indicator);
        builder.Services.AddSecureCamMetrics(all.Metrics);
        builder.Services.AddSecureCamEnrollment(all.Enrollment);
        ConfigureKestrel(builder, settings, all.Acme);
        customize?.Invoke(builder);

        try
        {
            var app = builder.Build();
            LoadPkiNow(app.Services);
            MapEndpoints(app);
            return app;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or Pki.PkiException or UnauthorizedAccessException)
        {
            throw new StartupException(Pki.ErrorText.FirstLine(ex.Message), ex);
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration, bool verbose)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);

        // Kestrel logs every failed handshake at Debug; our audit line already says why, once.
        logging.AddFilter("Microsoft.AspNetCore", verbose ? LogLevel.Debug : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // "Hosting failed to start" repeats, with a stack trace, the one-line error `serve` prints.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", verbose ? LogLevel.Debug : LogLevel.Critical);
        logging.AddProvider(new HandshakeErrorCapture());
        logging.AddFilter<HandshakeErrorCapture>(HandshakeErrorCapture.Category, LogLevel.Debug);
        if (SystemdHelpers.IsSystemdService())
        {
            // Under securecam.service: one line per event with its syslog priority; journald adds the time.
            logging.AddSystemdConsole();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
    }

    private static void ConfigureServices(IServiceCollection services, ServerSettings settings, CameraOptions camera)
    {
        services.AddSingleton(settings);
        services.AddSingleton(camera);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ServerPkiPaths(settings.PkiDirectory, settings.ServerCertificateName, settings.StateDirectory));
        services.AddSingleton<AuditLog>();

        services.AddSingleton(sp => new LocalCaCertificate(sp.GetRequiredService<ServerPkiPaths>().CaCertificate, sp.GetRequiredService<ILogger<LocalCaCertificate>>()));
        services.AddSingleton<RevocationMonitor>();
        services.AddSingleton<IRevocationStatus>(sp => sp.GetRequiredService<RevocationMonitor>());
        services.AddSingleton<ServerCertificateProvider>();
        services.AddSingleton<IReloadable>(sp => sp.GetRequiredService<LocalCaCertificate>());
        services.AddSingleton<IReloadable>(sp => sp.GetRequiredService<RevocationMonitor>());
        services.AddSingleton<IReloadable>(sp => sp.GetRequiredService<ServerCertificateProvider>());
        services.AddHostedService<PkiFileWatcher>();
        services.AddSingleton<ClientCertificateValidator>();
        services.AddSingleton<TlsCipherPolicy>();
        services.AddSingleton<TlsConnectionSetup>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<ITlsListenerHook>(sp => sp.GetRequiredService<ConnectionLimiter>());

        services.AddSingleton(sp => FrameHub.Create(camera, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<IdleMemoryRelease>();
        services.AddSingleton<ActiveStreams>();
        services.AddSingleton<ServedMeters>();
        services.AddSingleton<VideoEndpoint>();
        services.AddSingleton<SnapshotEndpoint>();
        services.AddSingleton<StatusEndpoint>();
        services.AddSingleton<ClientsEndpoint>();
        services.AddSingleton<ViewerPage>();
        services.AddSingleton<PlainHttpHandler>();

        services.AddSecureCamAuthentication();
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, ServerSettings settings, AcmeSettings acme)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            kestrel.Limits.RequestHeadersTimeout = settings.RequestHeadersTimeout;

            // Nothing here accepts a request body.
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 32;

            foreach (var (address, isPublic) in settings.Listen.Select(a => (a, false)).Concat(settings.PublicListen.Select(a => (a, true))))
            {
                Listen(kestrel, address, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    kestrel.ApplicationServices.GetRequiredService<TlsConnectionSetup>().Apply(listen, isPublic);
                });
            }

            if ((settings.HttpListen ?? acme.ExtraHttpListen) is { } plain)
            {
                Listen(kestrel, plain, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    kestrel.ApplicationServices.GetRequiredService<ConnectionLimiter>().ApplyPlain(listen);
                });
            }
        });
    }

    internal static void Listen(KestrelServerOptions kestrel, ListenAddress address, Action<ListenOptions> configure)
    {
        switch (address.Kind)
        {
            case ListenHostKind.Localhost:
                kestrel.ListenLocalhost(address.Port, configure);
                break;
            case ListenHostKind.AnyAddress:
                kestrel.ListenAnyIP(address.Port, configure);
                break;
            default:
                kestrel.Listen(new IPEndPoint(address.Address!, address.Port), configure);
                break;
        }
    }

    /// <summary>Reads the CA, the CRL and the server certificate now, so a missing file stops the start with one line.</summary>
    private static void LoadPkiNow(IServiceProvider services)
    {
        _ = services.GetRequiredService<LocalCaCertificate>();
        _ = services.GetRequiredService<RevocationMonitor>();
        _ = services.GetRequiredService<ServerCertificateProvider>();
    }

    private static void MapEndpoints(WebApplication app)
    {
        var plain = app.Services.GetRequiredService<PlainHttpHandler>();
        app.Use(async (context, next) =>
        {
            SecurityHeaders.Apply(context);
            if (!context.Request.IsHttps)
            {
                await plain.HandleAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseAuthentication();
        app.UseAuthorization();

        var page = app.Services.GetRequiredService<ViewerPage>();
        var video = app.Services.GetRequiredService<VideoEndpoint>();
        var snapshot = app.Services.GetRequiredService<SnapshotEndpoint>();
        var status = app.Services.GetRequiredService<StatusEndpoint>();
        var clients = app.Services.GetRequiredService<ClientsEndpoint>();

        app.MapGet("/", page.IndexAsync);
        app.MapGet("/viewer.js", page.ScriptAsync);
        app.MapGet("/viewer.css", page.StyleAsync);
        app.MapGet("/video", video.HandleAsync);
        app.MapGet("/snapshot", snapshot.HandleAsync);
        app.MapGet("/api/status", (HttpContext context) => Results.Json(status.Build(ClientIdentity.FromPrincipal(context.User)), StatusJson.Default.StatusReport));
        app.MapGet("/api/clients", clients.Handle).RequireAuthorization(Roles.AdminPolicy);
        app.MapGet("/healthz", () => Results.Text("ok\n")).RequireAuthorization(Roles.HealthPolicy);
        app.MapSecureCamMetrics();
    }
}
