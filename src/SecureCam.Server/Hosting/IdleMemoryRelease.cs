using SecureCam.Camera;

namespace SecureCam.Server.Hosting;

/// <summary>
/// Gives memory back to the box when the server goes idle: once started (setting up the host, Kestrel and the
/// PKI leaves megabytes of garbage), and each time the camera stops (frame planes, encoder buffers and frames
/// allocated at 30 fps). An idle process allocates nothing, so no collection would otherwise run and the heap
/// would keep its high-water mark for hours. One compacting collection that also returns free memory to the
/// OS (<see cref="GCCollectionMode.Aggressive"/>): a few milliseconds, at a moment nobody is watching
/// (docs/benchmarks.md, "Native AOT").
/// </summary>
internal sealed partial class IdleMemoryRelease(FrameHub hub, IHostApplicationLifetime lifetime, ILogger<IdleMemoryRelease> logger) : IHostedService
{
    private CancellationTokenRegistration _started;
    private int _releases;

    /// <summary>How many times memory was released.</summary>
    internal int Releases => Volatile.Read(ref _releases);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.CaptureStopped += OnCaptureStopped;
        _started = lifetime.ApplicationStarted.Register(() => ThreadPool.QueueUserWorkItem(_ => ReleaseIfIdle()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.CaptureStopped -= OnCaptureStopped;
        _started.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Collects and returns free memory unless capture has started again meanwhile; returns whether it did.</summary>
    internal bool ReleaseIfIdle()
    {
        if (hub.GetStatus().IsCapturing)
        {
            return false;
        }

        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _releases);
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        LogReleased(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024), gc.HeapSizeBytes / 1024, gc.TotalCommittedBytes / 1024);
        return true;
    }

    // The event comes from the camera's capture task as it ends: the collection runs on the thread pool, not in its way.
    private void OnCaptureStopped(object? sender, EventArgs e) => ThreadPool.QueueUserWorkItem(_ => ReleaseIfIdle());

    [LoggerMessage(Level = LogLevel.Debug, Message = "idle: memory released, working set {Before} MB -> {After} MB (managed heap {HeapKb} KB, {CommittedKb} KB committed)")]
    private static partial void LogReleased(ILogger logger, long before, long after, long heapKb, long committedKb);
}
