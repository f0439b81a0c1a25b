using SecureCam.Camera;

namespace SecureCam.Server.Streaming;

/// <summary>
/// What /video has sent to all viewers: frames and MJPEG bytes, each a <see cref="RateMeter"/>. The one source for
/// /api/status (served fps), telemetry (served fps, bytes) and /metrics (securecam.frames.served, securecam.bytes.served).
/// </summary>
internal sealed class ServedMeters(TimeProvider time)
{
    /// <summary>One per frame per viewer.</summary>
    public RateMeter Frames { get; } = new(time);

    public RateMeter Bytes { get; } = new(time);
}
