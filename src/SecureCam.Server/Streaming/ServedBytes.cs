namespace SecureCam.Server.Streaming;

/// <summary>
/// MJPEG bytes sent to all viewers since start (for telemetry). One Interlocked add per frame per viewer,
/// the same cost as <see cref="RateMeter"/>.
/// </summary>
internal sealed class ServedBytes
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(long bytes) => Interlocked.Add(ref _total, bytes);
}
