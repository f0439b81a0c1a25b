namespace SecureCam.Camera.Tests;

/// <summary>
/// Publishes a fixed number of frames of fixed size, each one only after <see cref="Release"/>:
/// lets a test decide exactly when frames appear without depending on machine speed.
/// </summary>
internal sealed class PacedSource : IFrameSource
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly byte[] _template;
    private readonly int _count;
    private int _published;

    public PacedSource(int count, byte[] template)
    {
        _count = count;
        _template = template;
    }

    public string Kind => "paced";

    public string Description => "paced test source";

    public int Published => Volatile.Read(ref _published);

    public void Release() => _permits.Release();

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        while (_published < _count)
        {
            await _permits.WaitAsync(cancellationToken);

            // A new array per frame, as real sources hand over ownership of each frame.
            sink.OnFrame((byte[])_template.Clone(), 160, 96, DateTimeOffset.UtcNow);
            Interlocked.Increment(ref _published);
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
