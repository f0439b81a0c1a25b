using System.Diagnostics;

namespace SecureCam.Server.Streaming;

/// <summary>
/// Events per second over the last two whole seconds (frames served to all viewers). Lock-free: one
/// Interlocked add per event, because it is bumped once per frame per viewer.
/// </summary>
internal sealed class RateMeter
{
    private const int Slots = 4;
    private readonly long[] _counts = new long[Slots];
    private readonly long[] _seconds = new long[Slots];
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add()
    {
        Interlocked.Increment(ref _total);
        var second = Stopwatch.GetTimestamp() / Stopwatch.Frequency;
        var slot = (int)(second % Slots);
        if (Volatile.Read(ref _seconds[slot]) != second)
        {
            // First event of a new second in this slot: a racing increment lost here costs one event of precision.
            Volatile.Write(ref _counts[slot], 0);
            Volatile.Write(ref _seconds[slot], second);
        }

        Interlocked.Increment(ref _counts[slot]);
    }

    public double PerSecond()
    {
        var now = Stopwatch.GetTimestamp() / Stopwatch.Frequency;
        long sum = 0;
        for (var back = 1; back <= 2; back++)
        {
            var second = now - back;
            var slot = (int)(second % Slots);
            if (Volatile.Read(ref _seconds[slot]) == second)
            {
                sum += Volatile.Read(ref _counts[slot]);
            }
        }

        return sum / 2.0;
    }
}
