namespace SecureCam.Camera;

/// <summary>
/// Where a source delivers what it captures. The hub implements it; a source never knows who watches.
/// Calls come from the source's own capture thread or task, one at a time.
/// </summary>
public interface IFrameSink
{
    /// <summary>A complete, checked JPEG. The sink takes ownership of <paramref name="jpeg"/>: the source must not reuse it.</summary>
    void OnFrame(byte[] jpeg, int width, int height, DateTimeOffset capturedAt);

    /// <summary>A frame that was broken (truncated, oversize, not a JPEG) was dropped and never served.</summary>
    void OnFrameSkipped(string reason);

    /// <summary>Bytes between frames that belonged to no frame were thrown away.</summary>
    void OnBytesDiscarded(long count);

    /// <summary>The source failed (process exited, device unplugged) and will restart by itself after a backoff.</summary>
    void OnRestart(string reason);

    /// <summary>The latest error, kept for the status page.</summary>
    void OnError(string message);
}
