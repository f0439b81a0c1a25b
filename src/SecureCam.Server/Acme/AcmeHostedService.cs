using SecureCam.Acme;
using SecureCam.Network.Addresses;

namespace SecureCam.Server.Acme;

/// <summary>
/// Runs the library's maintenance loop (<see cref="AcmeCertificateManager.RunAsync"/>) for the life of
/// the server: the first certificate when none is stored (the local CA's certificate serves the ACME
/// domain meanwhile), then renewal by the library's policy, looked at least every
/// <c>Acme:CheckIntervalMinutes</c>. Says at start whether the CA can reach the box at all, and logs
/// every change that matters: an attempt, a new certificate, a failure with the next try.
/// </summary>
internal sealed partial class AcmeHostedService(
    AcmeCertificateManager manager,
    AcmeSettings settings,
    AcmeStatusSource status,
    IHostApplicationLifetime lifetime,
    ILogger<AcmeHostedService> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private (AcmeManagerState State, int Failures, string? Serial) _logged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hosted services start before Kestrel binds: wait until it listens, or the CA's validation
        // (tls-alpn-01 on the HTTPS port, http-01 on the plain one) could arrive before anyone answers.
        await WhenStartedAsync(stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        ReportReachability();
        manager.StatusChanged += OnStatusChanged;
        try
        {
            await manager.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            manager.StatusChanged -= OnStatusChanged;
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetResult());
        await started.Task.ConfigureAwait(false);
    }

    private void ReportReachability()
    {
        AcmeReachability reachability;
        try
        {
            reachability = AcmeReachability.Assess(settings, InterfaceAddressReader.Read());
        }
        catch (System.Net.NetworkInformation.NetworkInformationException ex)
        {
            reachability = new AcmeReachability("unknown", false, null, "the box's addresses could not be read: " + ex.Message);
        }

        status.Reachability = reachability;
        if (reachability.Warning is { } warning)
        {
            LogUnreachable(logger, warning);
        }
        else
        {
            LogReachability(logger, string.Join(", ", settings.Domains), settings.Challenge, settings.CaPort, reachability.Verdict, reachability.Advice ?? "");
        }
    }

    private void OnStatusChanged(object? sender, AcmeManagerStatus current)
    {
        var key = (current.State, current.ConsecutiveFailures, current.CertificateSerial);
        lock (_gate)
        {
            if (key == _logged)
            {
                return;
            }

            _logged = key;
        }

        var domains = string.Join(", ", current.Domains);
        switch (current.State)
        {
            case AcmeManagerState.Renewing:
                LogAttempt(logger, current.CertificateSerial is null ? "requesting a certificate" : "renewing the certificate", domains, settings.Challenge, settings.DirectoryUrl!);
                break;
            case AcmeManagerState.Failing:
                LogFailed(logger, domains, current.ConsecutiveFailures, current.LastError ?? "unknown error",
                    current.CertificateSerial is { } serial ? $"the ACME certificate {serial} (valid until {current.CertificateNotAfter:u})" : "the local CA's certificate",
                    current.NextAttempt);
                break;
            case AcmeManagerState.Valid:
                LogValid(logger, domains, current.CertificateSerial ?? "-", current.CertificateNotAfter, current.RenewalDue, current.RenewalBasis ?? "lifetime");
                break;
            default:
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "acme: {Warning}")]
    private static partial void LogUnreachable(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "acme: on for {Domains} with {Challenge} (the CA connects to port {Port}); reachability {Verdict}: {Advice}")]
    private static partial void LogReachability(ILogger logger, string domains, string challenge, int port, string verdict, string advice);

    [LoggerMessage(Level = LogLevel.Information, Message = "acme: {What} for {Domains} ({Challenge}) from {Directory}")]
    private static partial void LogAttempt(ILogger logger, string what, string domains, string challenge, Uri directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "acme: certificate for {Domains} failed ({Failures} in a row): {Error}; still serving {Serving}; next try at {NextTry:u}")]
    private static partial void LogFailed(ILogger logger, string domains, int failures, string error, string serving, DateTimeOffset? nextTry);

    [LoggerMessage(Level = LogLevel.Information, Message = "acme: certificate for {Domains} is valid: serial {Serial}, until {NotAfter:u}; renewal due {RenewalDue:u} (by {Basis})")]
    private static partial void LogValid(ILogger logger, string domains, string serial, DateTimeOffset? notAfter, DateTimeOffset? renewalDue, string basis);
}
