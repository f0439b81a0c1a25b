namespace SecureCam.Camera.Tests;

/// <summary>Throws on its first runs (a configuration that cannot work), then publishes one frame per run and waits to be stopped.</summary>
internal sealed class GivingUpSource(int failures, byte[] frame) : IFrameSource
{
    private int _starts;

    public string Kind => "giving-up";

    public string Description => "test source that gives up";

    public int Starts => Volatile.Read(ref _starts);

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _starts) <= failures)
        {
            throw new InvalidOperationException("libcamera is not installed");
        }

        sink.OnFrame((byte[])frame.Clone(), 160, 96, DateTimeOffset.UtcNow);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
