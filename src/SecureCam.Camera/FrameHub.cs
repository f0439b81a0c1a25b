using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Camera.Hub;

namespace SecureCam.Camera;

/// <summary>
/// One capture, many viewers. The hub keeps one shared latest frame; each viewer asks for the
/// newest frame after the last one it was sent (<see cref="WaitForFrameAfterAsync"/>), so a slow
/// viewer simply gets fewer frames: there is no per-viewer queue and no per-viewer copy, and nobody
/// waits for anybody else (the µStreamer model). Capture runs on demand: while a viewer lease is
/// held or a snapshot was asked for within <see cref="FrameHubOptions.IdleGracePeriod"/>.
/// The hub never restarts a source: a source restarts itself from every failure it can recover from
/// (<see cref="IFrameSource"/>); when one gives up, capture stops, the viewers waiting are told
/// (<see cref="FrameSourceFailedException"/>), and the next viewer or snapshot starts it again.
/// </summary>
public sealed class FrameHub : IAsyncDisposable
{
    private readonly IFrameSource _source;
    private readonly FrameHubOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HubFrameSink _sink;
    private readonly RateMeter _captured;
    private readonly ITimer _idleTimer;
    private readonly object _gate = new();

    private Frame? _latest;
    private TaskCompletionSource<Frame> _nextFrame = NewSignal();
    private long _sequence;
    private int _viewers;
    private long _lastDemand;
    private CancellationTokenSource? _captureCancellation;
    private Task _captureTask = Task.CompletedTask;
    private bool _disposed;

    private long _framesSkipped;
    private long _bytesDiscarded;
    private long _restarts;
    private string? _lastError;
    private string? _gaveUp;
    private DateTimeOffset? _lastErrorAt;

    public FrameHub(IFrameSource source, FrameHubOptions? options = null, ILogger<FrameHub>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _options = options ?? new FrameHubOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _sink = new HubFrameSink(this);
        _captured = new RateMeter(_time);
        _lastDemand = _time.GetTimestamp();

        // Check for idleness a few times per grace period (bounded to 20 ms..1 s) so capture
        // stops close to the configured moment without a busy timer.
        var period = TimeSpan.FromTicks(Math.Clamp(_options.IdleGracePeriod.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _idleTimer = _time.CreateTimer(_ => StopIfIdle(), null, period, period);
    }

    /// <summary>
    /// The usual way to get a hub: validates <paramref name="options"/> (throwing a one-line
    /// <see cref="ArgumentException"/> naming the bad key), creates the source `Camera:Source` names,
    /// and wraps it. Nothing is captured until the first viewer or snapshot.
    /// </summary>
    public static FrameHub Create(CameraOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = FrameSourceFactory.Create(options, loggerFactory, time);
        return new FrameHub(source, options.CreateHubOptions(), loggerFactory?.CreateLogger<FrameHub>(), time);
    }

    /// <summary>The source this hub captures from.</summary>
    public IFrameSource Source => _source;

    /// <summary>
    /// Raised on a thread-pool thread each time a capture run has ended (idle, given up, or disposed) and the
    /// source has released what it held: the moment its buffers become garbage.
    /// </summary>
    public event EventHandler? CaptureStopped;

    /// <summary>The newest frame, or null before the first.</summary>
    public Frame? Latest => Volatile.Read(ref _latest);

    /// <summary>
    /// Registers a viewer: capture starts (if it was stopped) and keeps running until every lease
    /// is disposed and the grace period has passed. Dispose the lease when the viewer leaves.
    /// </summary>
    public IDisposable AddViewer()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _viewers++;
            EnsureCapturingLocked();
        }

        return new ViewerLease(() =>
        {
            lock (_gate)
            {
                _viewers--;
                _lastDemand = _time.GetTimestamp();
            }
        });
    }

    /// <summary>
    /// The newest frame whose sequence is greater than <paramref name="lastSequence"/> (0 for "any"),
    /// waiting for one to arrive. Hold a lease from <see cref="AddViewer"/> while calling this, or
    /// capture may stop and the wait only ends with <paramref name="cancellationToken"/>. Throws
    /// <see cref="FrameSourceFailedException"/> when the source gives up while this waits.
    /// </summary>
    public async Task<Frame> WaitForFrameAfterAsync(long lastSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Read the signal before the frame: Publish writes the frame before it swaps the
            // signal, so either we see the new frame or we wait on a signal that it completes.
            var signal = Volatile.Read(ref _nextFrame);
            var latest = Volatile.Read(ref _latest);
            if (latest is not null && latest.Sequence > lastSequence)
            {
                return latest;
            }

            // The source gave up before this wait began and nobody has started it again: no frame is coming.
            if (Volatile.Read(ref _gaveUp) is { } failure)
            {
                throw new FrameSourceFailedException(failure);
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A frame for a single picture: the newest if it is fresh (<see cref="FrameHubOptions.SnapshotFreshness"/>),
    /// else the next one captured, started on demand. Throws <see cref="TimeoutException"/> when none
    /// arrives within <paramref name="timeout"/>, <see cref="FrameSourceFailedException"/> when the source gives up.
    /// </summary>
    public async Task<Frame> GetSnapshotAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _lastDemand = _time.GetTimestamp();
            EnsureCapturingLocked();
        }

        var latest = Latest;
        if (latest is not null && _time.GetUtcNow() - latest.CapturedAt <= _options.SnapshotFreshness)
        {
            return latest;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var frame = await WaitForFrameAfterAsync(latest?.Sequence ?? 0, deadline.Token).ConfigureAwait(false);
            lock (_gate)
            {
                // The grace period counts from when the snapshot was served, not asked for.
                _lastDemand = _time.GetTimestamp();
            }

            return frame;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = Volatile.Read(ref _lastError);
            throw new TimeoutException(
                $"No frame from the camera ({_source.Kind}) within {timeout.TotalSeconds:0.#} s" + (error is null ? "." : $"; last error: {error}"));
        }
    }

    /// <summary>A consistent picture of the camera for the status page.</summary>
    public FrameHubStatus GetStatus()
    {
        var latest = Latest;
        lock (_gate)
        {
            return new FrameHubStatus
            {
                SourceKind = _source.Kind,
                SourceDescription = _source.Description,
                IsCapturing = _captureCancellation is not null,
                Width = latest?.Width ?? 0,
                Height = latest?.Height ?? 0,
                CapturedFps = _captureCancellation is null ? 0 : Math.Round(_captured.PerSecond(), 1),
                FramesCaptured = _captured.Total,
                FramesSkipped = Interlocked.Read(ref _framesSkipped),
                BytesDiscarded = Interlocked.Read(ref _bytesDiscarded),
                Restarts = Interlocked.Read(ref _restarts),
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
                Viewers = _viewers,
                LastSequence = latest?.Sequence ?? 0,
                LastFrameAt = latest?.CapturedAt,
                LastFrameBytes = latest?.Jpeg.Length ?? 0,
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task capture;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            capture = StopCaptureLocked();
        }

        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        await capture.ConfigureAwait(false);
        Volatile.Read(ref _nextFrame).TrySetException(new ObjectDisposedException(nameof(FrameHub)));
    }

    internal void Publish(byte[] jpeg, int width, int height, DateTimeOffset capturedAt)
    {
        var frame = new Frame(Interlocked.Increment(ref _sequence), capturedAt, jpeg, width, height);
        Volatile.Write(ref _latest, frame);
        _captured.Add();
        Interlocked.Exchange(ref _nextFrame, NewSignal()).TrySetResult(frame);
    }

    internal void RecordSkipped(string reason)
    {
        Interlocked.Increment(ref _framesSkipped);
        _logger.LogDebug("Skipped a broken frame from {Source}: {Reason}", _source.Description, reason);
    }

    internal void RecordDiscarded(long count) => Interlocked.Add(ref _bytesDiscarded, count);

    internal void RecordRestart(string reason)
    {
        Interlocked.Increment(ref _restarts);
        RecordError(reason);
    }

    internal void RecordError(string message)
    {
        // Shown in /api/status: a source's error can quote its command or stderr.
        message = CredentialRedaction.Redact(message)!;
        lock (_gate)
        {
            _lastError = message;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    private void EnsureCapturingLocked()
    {
        if (_captureCancellation is not null)
        {
            return;
        }

        var cancellation = new CancellationTokenSource();
        _captureCancellation = cancellation;
        Volatile.Write(ref _gaveUp, null);

        // A new run waits for the previous one to finish releasing the device or process, so two
        // runs of one source never overlap even when a viewer arrives just as capture stops.
        var previous = _captureTask;
        _captureTask = Task.Run(() => RunCaptureAsync(previous, cancellation));
        _logger.LogInformation("Camera capture starting ({Source})", _source.Description);
    }

    private Task StopCaptureLocked()
    {
        var cancellation = _captureCancellation;
        if (cancellation is null)
        {
            return _captureTask;
        }

        _captureCancellation = null;
        cancellation.Cancel();
        return _captureTask;
    }

    private void StopIfIdle()
    {
        lock (_gate)
        {
            if (_disposed || _captureCancellation is null || _viewers > 0)
            {
                return;
            }

            if (_time.GetElapsedTime(_lastDemand) < _options.IdleGracePeriod)
            {
                return;
            }

            _logger.LogInformation("Camera capture stopping: no viewers for {Seconds:0.#} s", _options.IdleGracePeriod.TotalSeconds);
            _ = StopCaptureLocked();
        }
    }

    private async Task RunCaptureAsync(Task previous, CancellationTokenSource cancellation)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The previous run already recorded its own failure.
        }

        var token = cancellation.Token;
        try
        {
            await _source.RunAsync(_sink, token).ConfigureAwait(false);
            if (!token.IsCancellationRequested)
            {
                GiveUp(cancellation, $"{_source.Kind} source stopped by itself", error: null);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            GiveUp(cancellation, $"{_source.Kind} source failed: {ex.Message}", ex);
        }
        finally
        {
            cancellation.Dispose();
            CaptureStopped?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>
    /// The source ended without being asked to: it restarts itself from what it can recover from, so retrying here
    /// would only repeat its own backoff. Capture stops, waiting viewers are told, and the next demand starts it again.
    /// </summary>
    private void GiveUp(CancellationTokenSource cancellation, string message, Exception? error)
    {
        message = CredentialRedaction.Redact(message)!;
        RecordError(message);
        _logger.LogError(error, "Camera source {Source} gave up: {Message}; capture resumes with the next viewer or snapshot", _source.Description, message);
        lock (_gate)
        {
            if (!ReferenceEquals(_captureCancellation, cancellation))
            {
                return; // Stopped meanwhile: nobody waits on this run any more.
            }

            _captureCancellation = null;
            Volatile.Write(ref _gaveUp, message);
        }

        Interlocked.Exchange(ref _nextFrame, NewSignal()).TrySetException(new FrameSourceFailedException(message, error));
    }

    private static TaskCompletionSource<Frame> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
