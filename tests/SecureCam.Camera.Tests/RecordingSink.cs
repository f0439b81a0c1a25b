using System.Collections.Concurrent;

namespace SecureCam.Camera.Tests;

/// <summary>An <see cref="IFrameSink"/> that keeps what a source delivered, for assertions.</summary>
internal sealed class RecordingSink : IFrameSink
{
    private readonly int _keep;
    private long _frames;
    private long _skipped;
    private long _discarded;
    private long _restarts;

    public RecordingSink(int keep = 1000) => _keep = keep;

    public ConcurrentQueue<byte[]> Kept { get; } = new();

    public ConcurrentQueue<string> Reasons { get; } = new();

    public long Frames => Interlocked.Read(ref _frames);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long Discarded => Interlocked.Read(ref _discarded);

    public long Restarts => Interlocked.Read(ref _restarts);

    public (int Width, int Height) LastSize { get; private set; }

    public void OnFrame(byte[] jpeg, int width, int height, DateTimeOffset capturedAt)
    {
        LastSize = (width, height);
        if (Kept.Count < _keep)
        {
            Kept.Enqueue(jpeg);
        }

        Interlocked.Increment(ref _frames);
    }

    public void OnFrameSkipped(string reason)
    {
        Reasons.Enqueue(reason);
        Interlocked.Increment(ref _skipped);
    }

    public void OnBytesDiscarded(long count) => Interlocked.Add(ref _discarded, count);

    public void OnRestart(string reason)
    {
        Reasons.Enqueue(reason);
        Interlocked.Increment(ref _restarts);
    }

    public void OnError(string message) => Reasons.Enqueue(message);
}
