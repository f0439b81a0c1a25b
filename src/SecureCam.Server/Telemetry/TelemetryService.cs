using SecureCam.Telemetry;

namespace SecureCam.Server.Telemetry;

/// <summary>
/// Hosts the DTLS <see cref="TelemetryReporter"/> inside the server. The reporter runs on its own task and threads
/// (bounded queue, reconnect with backoff), so a slow or hostile collector costs the camera nothing; and nothing it
/// throws may stop the host, because telemetry must never take the camera down with it.
/// </summary>
internal sealed class TelemetryService : BackgroundService
{
    /// <summary>The log category of telemetry lines (the encrypt-only warning among them).</summary>
    public const string LogCategory = "SecureCam.Telemetry";

    private readonly TelemetryReporter _reporter;
    private readonly ILogger _logger;

    public TelemetryService(TelemetryOptions options, TelemetrySnapshotSource snapshot, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger(LogCategory);
        _reporter = new TelemetryReporter(options, snapshot.Take, Log);
        Options = options;
    }

    public TelemetryOptions Options { get; }

    /// <summary>A consistent copy of the reporter's state; cheap, for every /api/status request.</summary>
    public TelemetryState State => _reporter.State;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: the host finishes starting before the first handshake begins.
        await Task.Yield();
        try
        {
            await _reporter.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // An unhandled exception in a hosted service stops the host: the camera must keep serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "telemetry stopped after an unexpected error: {Message}; the camera keeps serving", ex.Message);
        }
    }

    private void Log(TelemetryLogLevel level, string message)
    {
        if (level == TelemetryLogLevel.Warning)
        {
            _logger.LogWarning("{Message}", message);
        }
        else
        {
            _logger.LogInformation("{Message}", message);
        }
    }
}
