namespace SecureCam.Camera.Hub;

/// <summary>
/// The hub's side of <see cref="IFrameSink"/>, kept off the hub's public surface so only the
/// source the hub started can publish frames.
/// </summary>
internal sealed class HubFrameSink : IFrameSink
{
    private readonly FrameHub _hub;

    public HubFrameSink(FrameHub hub) => _hub = hub;

    public void OnFrame(byte[] jpeg, int width, int height, DateTimeOffset capturedAt) => _hub.Publish(jpeg, width, height, capturedAt);

    public void OnFrameSkipped(string reason) => _hub.RecordSkipped(reason);

    public void OnBytesDiscarded(long count) => _hub.RecordDiscarded(count);

    public void OnRestart(string reason) => _hub.RecordRestart(reason);

    public void OnError(string message) => _hub.RecordError(message);
}
