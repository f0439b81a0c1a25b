using SecureCam.Acme.Tests.Support;

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
        await using var rig = await ManagerRig.StartAsync();
        var manager = rig.Manager;
        rig.Run();
        await rig.WaitUntilAsync(() => manager.Current is not null);
        var first = manager.Current!;

        await rig.Pebble.StopAsync();
        await rig.WaitUntilAsync(() => manager.Status.ConsecutiveFailures >= 2);

        var failing = manager.Status;
        Assert.Equal(AcmeManagerState.Failing, failing.State);
        Assert.Same(first, manager.Current);
        Assert.Contains("cannot be reached", failing.LastError, StringComparison.Ordinal);
        Assert.NotNull(failing.NextAttempt);
        Assert.True(failing.NextAttempt > failing.LastErrorAt);
        Assert.True(failing.NextAttempt - failing.LastErrorAt <= TimeSpan.FromSeconds(4), "backoff is capped at 4 s in this test");

        // Pebble comes back as a new CA that has forgotten the account: the manager re-registers the same key.
        await rig.Pebble.StartAgainAsync();
        await rig.WaitUntilAsync(() => manager.Current!.SerialNumber != first.SerialNumber);

        Assert.Equal(AcmeManagerState.Valid, manager.Status.State);
        Assert.Null(manager.Status.LastError);
        Assert.Equal(0, manager.Status.ConsecutiveFailures);
    }
}
