using System.Text.Json;
using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>
/// Six-day certificates (Let's Encrypt's "shortlived" profile, the one that may name an IP address)
/// walked through twelve days of renewals on a fake clock, with the manager's default retry settings
/// (5 minutes doubling to a 6-hour cap). The CA is the scripted ACME server issuing on that clock:
/// Pebble cannot run on a fake clock, and Pebble 2.4 has neither profiles nor renewalInfo. The CA goes
/// down an hour before the first renewal falls due and stays down 31 hours, over five times the cap.
/// </summary>
public sealed class ShortLivedRenewalTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(6);
    private static readonly TimeSpan Outage = TimeSpan.FromHours(31);
    private static readonly TimeSpan RetryCap = TimeSpan.FromHours(6);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_six_day_certificate_renews_at_half_life_or_in_the_ari_window_and_outlives_a_ca_outage_longer_than_the_retry_cap(bool ari)
    {
        var clock = new ObservedFakeClock(Start);

        // ARI's window: the third day's first half, before half-life, so the test can tell which rule ran.
        using var ca = new ScriptedCa(clock, Lifetime)
        {
            RenewalWindow = ari ? c => (new DateTimeOffset(c.NotBefore.ToUniversalTime()).AddDays(2), new DateTimeOffset(c.NotBefore.ToUniversalTime()).AddDays(2.5)) : null,
        };
        await using var server = new ScriptedAcmeServer(ca.Answer, """{"classic":"90 days","shortlived":"6 days; IP addresses allowed"}""", renewalInfo: ari);
        ca.BaseUri = server.BaseUri;
        using var pki = new TempDirectory();
        var options = new AcmeManagerOptions { AcceptTermsOfService = true, Profile = "shortlived" };
        options.Client.DirectoryUri = server.DirectoryUri;
        options.Client.AllowHttpForTesting = true;
        options.Domains.Add("203.0.113.7");
        using var manager = new AcmeCertificateManager(options, new Http01TokenStore(), new AcmeFileStorage(pki.Path), clock, new Random(7));

        var attempts = new List<(DateTimeOffset At, bool CaDown)>();
        var issued = new List<(DateTimeOffset At, AcmeCertificate Certificate)>();
        var lastState = AcmeManagerState.Stopped;
        manager.StatusChanged += (_, s) =>
        {
            lock (attempts)
            {
                // An attempt is the step into Renewing (a new certificate is published while still in it).
                if (s.State == AcmeManagerState.Renewing && lastState != AcmeManagerState.Renewing)
                {
                    attempts.Add((clock.GetUtcNow(), server.Down));
                }

                lastState = s.State;
            }
        };
        manager.CertificateChanged += (_, e) =>
        {
            lock (issued)
            {
                issued.Add((clock.GetUtcNow(), e.Certificate));
            }
        };

        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);
        (DateTimeOffset From, DateTimeOffset To)? outage = null;
        var servedDuringOutage = new HashSet<string>();
        var seen = 0;
        for (var steps = 0; clock.GetUtcNow() < Start + TimeSpan.FromDays(12); steps++)
        {
            Assert.True(steps < 2_000, "the walk takes a bounded number of waits");

            // Parked: the loop has started its next wait (or has died, which fails below).
            await Eventually.TrueAsync(() => clock.LastTimer.Created > seen || loop.IsCompleted, TimeSpan.FromSeconds(30), () => $"no new wait; status {manager.Status}");
            Assert.False(loop.IsCompleted, $"the loop ended: {loop.Exception?.GetBaseException().Message}");
            (seen, var due) = clock.LastTimer;

            if (manager.Current is { } current)
            {
                Assert.True(current.NotAfter > clock.GetUtcNow(), $"at {clock.GetUtcNow():u} the served certificate expired at {current.NotAfter:u}");
                if (server.Down)
                {
                    servedDuringOutage.Add(current.SerialNumber);
                }
            }

            if (outage is null && manager.Status.RenewalDue is { } firstDue)
            {
                outage = (firstDue - TimeSpan.FromHours(1), firstDue - TimeSpan.FromHours(1) + Outage);
            }

            // The CA's state at the moment the loop wakes, which is when it acts.
            server.Down = outage is { } o && due >= o.From && due < o.To;
            clock.Advance(due - clock.GetUtcNow());
        }

        await stop.CancelAsync();
        await loop;
        List<(DateTimeOffset At, bool CaDown)> tries;
        List<(DateTimeOffset At, AcmeCertificate Certificate)> certificates;
        lock (attempts)
        {
            tries = [.. attempts];
        }

        lock (issued)
        {
            certificates = [.. issued];
        }

        // First certificate at once, then every renewal at its due time (ARI's window, else half-life),
        // always before the one served expires: A, B after the outage, C and D on time.
        Assert.True(certificates.Count >= 4, $"{certificates.Count} certificates in 12 days");
        Assert.Equal(Start, certificates[0].At);
        Assert.All(certificates, c => Assert.Equal(Lifetime, c.Certificate.NotAfter - c.Certificate.NotBefore));
        for (var i = 1; i < certificates.Count; i++)
        {
            var previous = certificates[i - 1].Certificate;
            var (earliest, latest) = ari ? (previous.NotBefore.AddDays(2), previous.NotBefore.AddDays(2.5)) : (previous.NotBefore + (Lifetime / 2), previous.NotBefore + (Lifetime / 2));
            Assert.True(certificates[i].At >= earliest, $"renewal {i} at {certificates[i].At:u}, before {earliest:u}");
            Assert.True(certificates[i].At < previous.NotAfter, $"renewal {i} at {certificates[i].At:u}, after the expiry {previous.NotAfter:u}");
            if (i >= 2)
            {
                Assert.True(certificates[i].At <= latest, $"renewal {i} at {certificates[i].At:u}, due by {latest:u}");
            }
        }

        // The outage: the first certificate kept serving, tries came no further apart than the cap,
        // and the first try after the CA came back renewed.
        var (from, to) = outage!.Value;
        Assert.Equal([certificates[0].Certificate.SerialNumber], servedDuringOutage);
        var failed = tries.Where(t => t.CaDown).Select(t => t.At).ToList();
        Assert.True(failed.Count >= 6, $"{failed.Count} failed tries during a {Outage.TotalHours} h outage");
        Assert.All(failed.Zip(failed.Skip(1)), pair => Assert.True(pair.Second - pair.First <= RetryCap, $"tries {pair.First:u} and {pair.Second:u} are over {RetryCap.TotalHours} h apart"));
        Assert.True(failed[^1] < to && certificates[1].At >= to && certificates[1].At - failed[^1] <= RetryCap, $"last failure {failed[^1]:u}, back at {to:u}, renewed {certificates[1].At:u}");
        Assert.True(failed[0] >= from);

        // Every order asked for the profile and named the address; renewals said what they replace when the CA offers ARI.
        var orders = ca.Orders;
        Assert.Equal(tries.Count(t => !t.CaDown), orders.Count);
        Assert.All(orders, o => Assert.Equal("shortlived", o.GetProperty("profile").GetString()));
        Assert.All(orders, o => Assert.Equal("""[{"type":"ip","value":"203.0.113.7"}]""", o.GetProperty("identifiers").GetRawText()));
        for (var i = 1; i < orders.Count; i++)
        {
            Assert.Equal(ari ? AriCertificateId.For(certificates[i - 1].Certificate.Certificate) : null, Replaces(orders[i]));
        }

        Assert.Equal(AcmeManagerState.Valid, manager.Status.State);
        Assert.Equal(0, manager.Status.ConsecutiveFailures);
        Assert.Equal(ari ? "ari" : "lifetime", manager.Status.RenewalBasis);
    }

    private static string? Replaces(JsonElement order) => order.TryGetProperty("replaces", out var r) ? r.GetString() : null;
}
