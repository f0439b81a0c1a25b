namespace SecureCam.Acme;

/// <summary>
/// When a certificate should be renewed. By fraction of lifetime, never by fixed days (lifetimes are
/// shrinking: 90, 64, 45 and 6 days at Let's Encrypt), or at a random time in the CA's ARI window.
/// </summary>
public sealed class RenewalPolicy
{
    /// <summary>Below this lifetime half of it is left at renewal: a 6-day certificate renews after 3 days.</summary>
    public static readonly TimeSpan ShortLifetime = TimeSpan.FromDays(10);

    private readonly Random _random;

    public RenewalPolicy(Random? random = null) => _random = random ?? Random.Shared;

    /// <summary>Renew when one third of the lifetime is left (one half for lifetimes under ten days).</summary>
    public static DateTimeOffset ByLifetime(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var lifetime = notAfter - notBefore;
        var left = lifetime < ShortLifetime ? lifetime / 2 : lifetime / 3;
        return notAfter - left;
    }

    /// <summary>
    /// The renewal time: a random moment in <paramref name="window"/> when the CA offers ARI, else
    /// <see cref="ByLifetime"/>. Expiry is the backstop: never later than the point where a tenth of
    /// the lifetime is left, whatever the window says.
    /// </summary>
    public DateTimeOffset RenewalTime(DateTimeOffset notBefore, DateTimeOffset notAfter, RenewalWindow? window)
    {
        if (window is null)
        {
            return ByLifetime(notBefore, notAfter);
        }

        var span = window.End - window.Start;
        var chosen = window.Start + TimeSpan.FromTicks((long)(span.Ticks * _random.NextDouble()));
        var backstop = notAfter - ((notAfter - notBefore) / 10);
        return chosen < backstop ? chosen : backstop;
    }
}
