namespace SecureCam.Acme;

/// <summary>
/// The wait after failed renewals: Initial, 2×, 4×, … up to Max, with a little jitter, and never so long
/// that the certificate still being served runs out between two tries. The manager's Polly retry pipeline
/// waits what this says (its own exponential backoff knows neither the lifetime left nor Retry-After).
/// </summary>
public sealed class RetryBackoff
{
    /// <summary>
    /// At most this share of the time left before expiry between two tries: at least eight more tries
    /// fit before a certificate expires, crowding together as expiry nears (a six-day certificate due at
    /// half its lifetime has 72 h left, so the 6 h cap holds; with 8 h left tries come every hour).
    /// </summary>
    public const int TriesBeforeExpiry = 8;

    private readonly Random _random;

    public RetryBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException("the first retry delay must be positive and not above the cap");
        }

        Initial = initial;
        Max = max;
        _random = random ?? Random.Shared;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 → Initial).</summary>
    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var delay = TimeSpan.FromTicks((long)Math.Min(Max.Ticks, Initial.Ticks * Math.Pow(2, exponent)));

        // Up to 10 % more, so many boxes failing together (a CA outage) do not retry in lockstep.
        var jittered = delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.1 * _random.NextDouble()));
        return jittered < Max ? jittered : Max;
    }

    /// <summary>
    /// The wait after the <paramref name="failures"/>-th failure in a row while a certificate valid until
    /// <paramref name="expires"/> (null: none yet) is served: <see cref="Delay(int)"/>, cut to a
    /// <see cref="TriesBeforeExpiry"/>th of the time left (never below <see cref="Initial"/>). The CA's
    /// <paramref name="retryAfter"/> wins when it is longer and still ends before expiry.
    /// </summary>
    public TimeSpan Delay(int failures, DateTimeOffset now, DateTimeOffset? expires, TimeSpan? retryAfter = null)
    {
        var delay = Delay(failures);
        if (expires is { } notAfter)
        {
            var share = (notAfter - now) / TriesBeforeExpiry;
            var cap = share > Initial ? share : Initial;
            delay = delay < cap ? delay : cap;
        }

        if (retryAfter is { } asked && asked > delay && (expires is null || now + asked < expires))
        {
            delay = asked;
        }

        return delay;
    }
}
