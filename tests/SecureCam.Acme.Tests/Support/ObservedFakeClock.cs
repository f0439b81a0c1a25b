using Microsoft.Extensions.Time.Testing;

namespace SecureCam.Acme.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it and keeps the due time of the
/// last one. A loop that awaits nothing but the network and this clock is parked when a new timer
/// appears, so a test can advance exactly to the moment that loop waits for, with no real sleep.
/// </summary>
internal sealed class ObservedFakeClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
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

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _created++;
            _lastDue = GetUtcNow() + dueTime;
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
