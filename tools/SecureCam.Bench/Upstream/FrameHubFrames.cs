using SecureCam.Camera;

namespace SecureCam.Bench.Upstream;

/// <summary>
/// Frames from SecureCam's own camera pipeline (a source from <see cref="FrameSourceFactory"/> behind a
/// <see cref="FrameHub"/>), so the upstream nginx proxies serves the same frames, at the same capture
/// cost, as SecureCam itself. One viewer lease is held for the upstream's life: capture always runs.
/// </summary>
internal sealed class FrameHubFrames : IUpstreamFrames
{
    private readonly FrameHub _hub;
    private readonly IDisposable _lease;

    public FrameHubFrames(CameraOptions options)
    {
        _hub = new FrameHub(FrameSourceFactory.Create(options), options.CreateHubOptions());
        _lease = _hub.AddViewer();
    }

    public async ValueTask<UpstreamFrame> NextAfterAsync(long lastSequence, CancellationToken cancellationToken)
    {
        var frame = await _hub.WaitForFrameAfterAsync(lastSequence, cancellationToken).ConfigureAwait(false);
        return new UpstreamFrame(frame.Sequence, frame.CapturedAt.ToUnixTimeMilliseconds(), frame.Jpeg);
    }

    public async ValueTask DisposeAsync()
    {
        _lease.Dispose();
        await _hub.DisposeAsync().ConfigureAwait(false);
    }
}
