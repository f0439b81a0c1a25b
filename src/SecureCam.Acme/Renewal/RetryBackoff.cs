namespace SecureCam.Acme;

/// <summary>Capped exponential backoff after failed renewals: Initial, 2×, 4×, … up to Max, with a little jitter.</summary>
public sealed class RetryBackoff
{
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
}
