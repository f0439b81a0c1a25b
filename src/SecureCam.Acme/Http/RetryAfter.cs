using System.Net.Http.Headers;

namespace SecureCam.Acme;

/// <summary>Reads Retry-After (delta seconds or an HTTP date, RFC 9110 §10.2.3) as a wait from now.</summary>
internal static class RetryAfter
{
    public static TimeSpan? From(HttpResponseHeaders headers, TimeProvider time)
    {
        var value = headers.RetryAfter;
        if (value is null)
        {
            return null;
        }

        if (value.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>A wait bounded to [0, max].</summary>
    public static TimeSpan Bound(TimeSpan? wait, TimeSpan fallback, TimeSpan max)
    {
        var chosen = wait ?? fallback;
        return chosen > max ? max : chosen;
    }
}
