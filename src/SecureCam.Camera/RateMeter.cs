namespace SecureCam.Camera;

/// <summary>
/// A count and its rate per second over the last <see cref="Window"/>: the one meter type for frames captured, frames
/// served and bytes served, read alike by /api/status, telemetry and the metrics exporter (µStreamer's single FPS
/// meter). Lock-free: one Interlocked add per event, because it is bumped once per frame per viewer.
/// </summary>
/// <remarks>
/// The rate counts whole 100 ms buckets that have ended, so it settles a moment after a change and a stalled
/// source decays to 0 within the window; until a whole window has passed since the first event, it is taken over
/// the time since then. A racing first event of a new bucket may lose one count of precision, never the
/// <see cref="Total"/>.
/// </remarks>
public sealed class RateMeter
{
    /// <summary>Two seconds: long enough to smooth a 5 fps camera's jitter, short enough that status follows a stall.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private const int BucketsPerWindow = 20;

    // The window's buckets, the one filling now, and one spare, so a slot is never reused while it is read.
    private const int Slots = BucketsPerWindow + 2;

    private readonly TimeProvider _time;
    private readonly long _ticksPerBucket;
    private readonly long[] _counts = new long[Slots];
    private readonly long[] _buckets = new long[Slots];
    private long _total;
    private long _firstBucket = -1;

    public RateMeter(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _ticksPerBucket = Math.Max(1, time.TimestampFrequency * Window.Ticks / BucketsPerWindow / TimeSpan.TicksPerSecond);
        Array.Fill(_buckets, -1);
    }

    /// <summary>Everything counted since start.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Counts <paramref name="amount"/> events (a frame, or a frame's bytes) now.</summary>
    public void Add(long amount = 1)
    {
        Interlocked.Add(ref _total, amount);
        var bucket = _time.GetTimestamp() / _ticksPerBucket;
        if (Volatile.Read(ref _firstBucket) < 0)
        {
            Interlocked.CompareExchange(ref _firstBucket, bucket, -1);
        }

        var slot = (int)(bucket % Slots);
        if (Volatile.Read(ref _buckets[slot]) != bucket)
        {
            // Two adders can reach a new bucket at once: one of them starts it, neither's count is zeroed by the other.
            lock (_counts)
            {
                if (_buckets[slot] != bucket)
                {
                    Volatile.Write(ref _counts[slot], 0);
                    Volatile.Write(ref _buckets[slot], bucket);
                }

                Interlocked.Add(ref _counts[slot], amount);
            }

            return;
        }

        Interlocked.Add(ref _counts[slot], amount);
    }

    /// <summary>Events per second over the last <see cref="Window"/> of ended buckets (less, just after the first event).</summary>
    public double PerSecond()
    {
        var now = _time.GetTimestamp() / _ticksPerBucket;
        var first = Volatile.Read(ref _firstBucket);
        var ended = first < 0 ? 0 : Math.Min(BucketsPerWindow, now - first);
        if (ended <= 0)
        {
            return 0;
        }

        long sum = 0;
        for (var back = 1; back <= ended; back++)
        {
            var bucket = now - back;
            var slot = (int)(((bucket % Slots) + Slots) % Slots);
            if (Volatile.Read(ref _buckets[slot]) == bucket)
            {
                sum += Volatile.Read(ref _counts[slot]);
            }
        }

        return sum / (Window.TotalSeconds * ended / BucketsPerWindow);
    }
}
