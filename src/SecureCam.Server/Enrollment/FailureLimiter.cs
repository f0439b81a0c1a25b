using System.Collections.Concurrent;
using System.Net;

namespace SecureCam.Server.Enrollment;

/// <summary>
/// Counts wrong or expired tokens per source address in one-minute windows; an address over the limit
/// is refused (even with a good token) until its window ends. Tokens carry 128 bits, so this is not what
/// stops guessing: it keeps a scanner from filling the log and the CPU. Hand-written rather than
/// System.Threading.RateLimiting because that library's windows run on the real clock, and tests need a fake one.
/// </summary>
internal sealed class FailureLimiter(int maxFailuresPerWindow, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Addresses tracked at most: past this, finished windows are dropped (a spoofing flood cannot grow memory without bound).</summary>
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Counter> _counters = new();

    /// <summary>When the address is blocked: how long until it may try again; else null.</summary>
    public TimeSpan? BlockedFor(IPAddress address)
    {
        var now = clock.GetUtcNow();
        return _counters.TryGetValue(address, out var counter) && counter.Start + Window > now && counter.Count >= maxFailuresPerWindow
            ? counter.Start + Window - now
            : null;
    }

    public void Fail(IPAddress address)
    {
        var now = clock.GetUtcNow();
        if (_counters.Count >= MaxTracked)
        {
            foreach (var (key, old) in _counters)
            {
                if (old.Start + Window <= now)
                {
                    _counters.TryRemove(key, out _);
                }
            }
        }

        _counters.AddOrUpdate(
            address,
            _ => new Counter(now, 1),
            (_, counter) => counter.Start + Window <= now ? new Counter(now, 1) : counter with { Count = counter.Count + 1 });
    }

    private sealed record Counter(DateTimeOffset Start, int Count);
}
