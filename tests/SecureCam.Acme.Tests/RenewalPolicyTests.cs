namespace SecureCam.Acme.Tests;

/// <summary>When to renew, and how long to wait after failures.</summary>
public sealed class RenewalPolicyTests
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_90_day_certificate_renews_when_30_days_are_left()
    {
        Assert.Equal(Issued.AddDays(60), RenewalPolicy.ByLifetime(Issued, Issued.AddDays(90)));
    }

    [Fact]
    public void A_6_day_certificate_renews_when_half_is_left()
    {
        Assert.Equal(Issued.AddDays(3), RenewalPolicy.ByLifetime(Issued, Issued.AddDays(6)));
    }

    [Fact]
    public void An_ari_window_gives_a_time_inside_it_and_expiry_is_the_backstop()
    {
        var policy = new RenewalPolicy(new Random(7));
        var window = new RenewalWindow(Issued.AddDays(50), Issued.AddDays(52));
        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(policy.RenewalTime(Issued, Issued.AddDays(90), window), window.Start, window.End);
        }

        // A window past the point where a tenth of the lifetime is left is clamped to that point.
        var late = new RenewalWindow(Issued.AddDays(89), Issued.AddDays(95));
        Assert.Equal(Issued.AddDays(81), policy.RenewalTime(Issued, Issued.AddDays(90), late));
        Assert.Equal(Issued.AddDays(60), policy.RenewalTime(Issued, Issued.AddDays(90), window: null));
    }

    [Fact]
    public void Retries_back_off_exponentially_up_to_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(5), TimeSpan.FromHours(6), new Random(1));

        Assert.InRange(backoff.Delay(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5.5));
        Assert.InRange(backoff.Delay(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(11));
        Assert.InRange(backoff.Delay(4), TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(44));
        Assert.Equal(TimeSpan.FromHours(6), backoff.Delay(20));
        Assert.Equal(TimeSpan.FromHours(6), backoff.Delay(int.MaxValue));
    }

    [Fact]
    public void Retries_fit_inside_the_lifetime_left_and_a_retry_after_past_expiry_is_not_waited_for()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(5), TimeSpan.FromHours(6), new Random(1));
        var now = DateTimeOffset.UtcNow;

        // A six-day certificate at half-life: 72 h left, the 6 h cap holds.
        Assert.Equal(TimeSpan.FromHours(6), backoff.Delay(20, now, now.AddHours(72)));

        // 8 h left: an eighth of it, so tries keep coming as expiry nears; never below the first delay.
        Assert.Equal(TimeSpan.FromHours(1), backoff.Delay(20, now, now.AddHours(8)));
        Assert.Equal(TimeSpan.FromMinutes(5), backoff.Delay(20, now, now.AddMinutes(10)));

        // The CA's Retry-After wins when it ends before expiry, not after.
        Assert.Equal(TimeSpan.FromHours(2), backoff.Delay(1, now, now.AddHours(72), TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromHours(1), backoff.Delay(20, now, now.AddHours(8), TimeSpan.FromHours(9)));

        // Nothing served yet: only the backoff and the CA's word count.
        Assert.Equal(TimeSpan.FromHours(9), backoff.Delay(20, now, expires: null, TimeSpan.FromHours(9)));
    }
}
