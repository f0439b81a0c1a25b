namespace SecureCam.Bench.Upstream;

/// <summary>
/// Frames from JPEG files, published in turn at a fixed rate with the time of publication as their
/// capture time: a stand-in camera for the upstream when no SecureCam camera source is used. One
/// shared latest frame; waiting clients are woken together (no queue per client).
/// </summary>
internal sealed class PacedJpegFrames : IUpstreamFrames
{
    private readonly byte[][] _jpegs;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private UpstreamFrame? _latest;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PacedJpegFrames(IReadOnlyList<byte[]> jpegs, double fps)
    {
        if (jpegs.Count == 0)
        {
            throw new ArgumentException("At least one JPEG is needed.", nameof(jpegs));
        }

        _jpegs = [.. jpegs];
        _interval = TimeSpan.FromSeconds(1 / fps);
        _loop = Task.Run(PublishAsync);
    }

    public async ValueTask<UpstreamFrame> NextAfterAsync(long lastSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var waiter = Volatile.Read(ref _next);
            var latest = Volatile.Read(ref _latest);
            if (latest is not null && latest.Sequence > lastSequence)
            {
                return latest;
            }

            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        long sequence = 0;
        try
        {
            do
            {
                sequence++;
                var jpeg = _jpegs[(sequence - 1) % _jpegs.Length];
                Volatile.Write(ref _latest, new UpstreamFrame(sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), jpeg));
                Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
