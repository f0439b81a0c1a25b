using Microsoft.Extensions.Time.Testing;

namespace SecureCam.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it and keeps the due time of the
/// last one. A loop that awaits nothing but the network and this clock is parked when a new timer
/// appears, so a test can advance exactly to the moment that loop waits for, with no real sleep.
/// </summary>
public sealed class ObservedFakeClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _waits = [];
    private int _created;
    private DateTimeOffset _lastDue;

    /// <summary>How many timers were created so far, and when the last one fires.</summary>
    public (int Created, DateTimeOffset Due) LastTimer
    {
        get
        {
            lock (_gate)
            {
                return (_created, _lastDue);
            }
        }
    }

    /// <summary>The due time of every one-shot timer (a delay, not a periodic tick), in creation order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_gate)
            {
                return [.. _waits];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Counted once it exists: a test that sees the count may advance the clock at once, and must not do so
        // before the timer is there to fire.
        var due = GetUtcNow() + dueTime;
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created++;
            _lastDue = due;
            if (period == Timeout.InfiniteTimeSpan)
            {
                _waits.Add(dueTime);
            }
        }

        return timer;
    }

    /// <summary>
    /// Waits (really, up to <paramref name="timeout"/>) until a one-shot timer beyond the first
    /// <paramref name="seen"/> exists, then moves the clock to when it fires. Returns that timer's wait.
    /// </summary>
    public async Task<TimeSpan> AdvanceToNextWaitAsync(int seen, TimeSpan timeout, Func<string>? describe = null)
    {
        await Eventually.TrueAsync(() => Waits.Count > seen, timeout, describe).ConfigureAwait(false);
        var wait = Waits[seen];
        Advance(wait);
        return wait;
    }
}
