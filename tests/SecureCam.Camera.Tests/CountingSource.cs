namespace SecureCam.Camera.Tests;

/// <summary>Wraps a real source and counts how often it was started and whether it is running now.</summary>
internal sealed class CountingSource : IFrameSource
{
    private readonly IFrameSource _inner;
    private int _starts;
    private int _running;

    public CountingSource(IFrameSource inner) => _inner = inner;

    public int Starts => Volatile.Read(ref _starts);

    public bool IsRunning => Volatile.Read(ref _running) > 0;

    public string Kind => _inner.Kind;

    public string Description => _inner.Description;

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        Interlocked.Increment(ref _running);
        try
        {
            await _inner.RunAsync(sink, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
