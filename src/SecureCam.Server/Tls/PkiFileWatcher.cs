namespace SecureCam.Server.Tls;

/// <summary>
/// Polls the PKI files (CA certificate, CRL, server certificate, enrollment tickets) every <see cref="Interval"/> of the
/// host's <see cref="TimeProvider"/>. Polling rather than a FileSystemWatcher: a stat per file is nearly free, works on every file system
/// (including bind mounts and network shares where inotify is silent), and bounds the delay between
/// `securecam-pki revoke` and its effect to one interval.
/// </summary>
internal sealed partial class PkiFileWatcher(
    IEnumerable<IReloadable> reloadables,
    IEnumerable<IAsyncReloadable> asyncReloadables,
    TimeProvider time,
    ILogger<PkiFileWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var reloadable in reloadables)
                {
                    try
                    {
                        reloadable.ReloadIfChanged();
                    }
#pragma warning disable CA1031 // a watcher that dies would silently freeze revocation: log and keep polling.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        LogReloadFailed(logger, reloadable.GetType().Name, ex.Message);
                    }
                }

                foreach (var reloadable in asyncReloadables)
                {
                    try
                    {
                        await reloadable.ReloadIfChangedAsync(stoppingToken).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // as above: one failing piece must not stop the others from following the files.
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                    {
                        LogReloadFailed(logger, reloadable.GetType().Name, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "reload of {What} failed, keeping the previous state: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string what, string error);
}
