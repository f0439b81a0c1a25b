using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SecureCam.Pki;
using SecureCam.Server.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Enrollment;

/// <summary>
/// Opens the enrollment port (Enrollment:Listen) from when a ticket is made until the last one expires: a Kestrel of its own, so the port is not even listening most of the time, and nothing of
/// the camera (no viewer route, no mutual TLS) is reachable through it. It never asks for a client
/// certificate: the phone has none yet. Follows the store on the <see cref="PkiFileWatcher"/>'s ticks like the CRL
/// does, so a ticket written by `securecam-pki enroll` is picked up within <see cref="PkiFileWatcher.Interval"/>; it
/// also sweeps tickets that are over, deleting the keys nobody took.
/// </summary>
internal sealed partial class EnrollmentListener(
    EnrollmentSettings settings,
    ServerSettings server,
    PkiStoreAccess store,
    EnrollmentEndpoints endpoints,
    ServerCertificateProvider certificates,
    EnrollmentAudit audit,
    ILoggerFactory loggerFactory,
    [FromKeyedServices(EnrollmentServices.ClockKey)] TimeProvider clock) : IAsyncReloadable, IHostedService, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<EnrollmentListener>();
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedContext? _context;
    private WebApplication? _site;
    private string? _lastError;
    private bool _stopped;

    /// <summary>True while the enrollment port is open (for tests and status).</summary>
    public bool IsOpen => _site is not null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes the port with the server.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _stopped = true;
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads the tickets and opens or closes the port. Tickets are judged on the enrollment clock; the watcher's tick
    /// only decides how soon a new file is seen.
    /// </summary>
    public async Task ReloadIfChangedAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            await PollAsync(cancellationToken).ConfigureAwait(false);
            _lastError = null;
        }
#pragma warning disable CA1031 // a poll that fails would leave the port open past expiry: log once and close.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            if (ex.Message != _lastError)
            {
                _lastError = ex.Message;
                LogPollFailed(_logger, ex.Message);
            }

            // Tickets that cannot be judged are not served.
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tickets = store.Tickets;
        var all = tickets.ReadAll();
        var open = false;
        if (all.Count > 0)
        {
            var index = store.Store.ReadIndex();
            var states = all.Select(t => (Ticket: t, State: tickets.StateOf(t, index, now))).ToList();
            foreach (var (ticket, state) in states)
            {
                if (state == EnrollmentTicketState.Open && _announced.Add(ticket.TokenSha256))
                {
                    audit.TicketMade(ticket);
                }
            }

            if (states.Any(s => EnrollmentTickets.IsOver(s.Ticket, s.State, now)))
            {
                foreach (var (ticket, state) in await tickets.SweepAsync(now, cancellationToken).ConfigureAwait(false))
                {
                    _announced.Remove(ticket.TokenSha256);
                    audit.TicketOver(ticket, state);
                }
            }

            // Open until the last link expires, used or not: a used or withdrawn link answers 410 until then.
            open = states.Any(s => now < s.Ticket.ExpiresAt);
        }

        if (open && _site is null)
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!open && _site is not null)
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();

        // The server's own log (and audit) pipeline; an instance given to DI is not disposed with this site.
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = server.RequestHeadersTimeout;
            SecureCamHost.Listen(kestrel, settings.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(TlsOptions()),
                    HandshakeTimeout = server.HandshakeTimeout,
                });
            });
        });
        var site = builder.Build();
        endpoints.Map(site);
        try
        {
            await site.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await site.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _site = site;
        audit.ListenerOpened(settings.Listen.Url);
    }

    private async Task CloseAsync()
    {
        if (_site is not { } site)
        {
            return;
        }

        _site = null;
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await site.StopAsync(grace.Token).ConfigureAwait(false);
        await site.DisposeAsync().ConfigureAwait(false);
        audit.ListenerClosed(settings.Listen.Url);
    }

    /// <summary>The box's local-CA server certificate, and no client certificate request: the phone has none yet.</summary>
    private SslServerAuthenticationOptions TlsOptions() => new()
    {
        ServerCertificateContext = CertificateContext(),
        ClientCertificateRequired = false,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    };

    /// <summary>Built once per server certificate (a renewal swaps it), not per handshake.</summary>
    private SslStreamCertificateContext CertificateContext()
    {
        var certificate = certificates.Certificate;
        if (_context is { } cached && ReferenceEquals(cached.Certificate, certificate))
        {
            return cached.Context;
        }

        var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _context = new CachedContext(certificate, context);
        return context;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "enrollment: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);

    private sealed record CachedContext(System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
