using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>
/// The maintenance loop when the CA goes away during renewal (its own class so it runs beside
/// <see cref="RenewalManagerTests"/>: each waits about a minute for a renewal to fall due).
/// </summary>
public sealed class RenewalFailureTests
{
    [SkippableFact]
    public async Task When_the_ca_is_down_the_old_certificate_stays_the_error_and_next_try_show_and_renewal_succeeds_later()
    {
        await using var pebble = await PebbleServer.StartAsync(new PebbleOptions { CertificateValiditySeconds = ManagerTestOptions.ValiditySeconds });
        using var pki = new TempDirectory();
        var storage = new AcmeFileStorage(pki.Combine("acme"));
        var store = new Http01TokenStore();
        await using var responder = new Http01StandaloneResponder(store, pebble.HttpPort);
        using var manager = new AcmeCertificateManager(ManagerTestOptions.For(pebble), store, storage);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => manager.Current is not null, ManagerTestOptions.Generous, () => ManagerTestOptions.Describe(manager));
        var first = manager.Current!;

        await pebble.StopAsync();
        await Eventually.TrueAsync(() => manager.Status.ConsecutiveFailures >= 2, ManagerTestOptions.Generous, () => ManagerTestOptions.Describe(manager));

        var failing = manager.Status;
        Assert.Equal(AcmeManagerState.Failing, failing.State);
        Assert.Same(first, manager.Current);
        Assert.Contains("cannot be reached", failing.LastError, StringComparison.Ordinal);
        Assert.NotNull(failing.NextAttempt);
        Assert.True(failing.NextAttempt > failing.LastErrorAt);
        Assert.True(failing.NextAttempt - failing.LastErrorAt <= TimeSpan.FromSeconds(4), "backoff is capped at 4 s in this test");

        // Pebble comes back as a new CA that has forgotten the account: the manager re-registers the same key.
        await pebble.StartAgainAsync();
        await Eventually.TrueAsync(() => manager.Current!.SerialNumber != first.SerialNumber, ManagerTestOptions.Generous, () => ManagerTestOptions.Describe(manager));

        Assert.Equal(AcmeManagerState.Valid, manager.Status.State);
        Assert.Null(manager.Status.LastError);
        Assert.Equal(0, manager.Status.ConsecutiveFailures);
        await stop.CancelAsync();
        await loop;
    }
}
