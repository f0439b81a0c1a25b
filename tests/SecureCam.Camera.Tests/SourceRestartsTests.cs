using SecureCam.TestSupport;

namespace SecureCam.Camera.Tests;

/// <summary>The sources' one restart rule, walked on a fake clock: no real waiting.</summary>
public sealed class SourceRestartsTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Restart_waits_double_up_to_the_cap_and_start_over_after_a_good_run()
    {
        var clock = new ObservedFakeClock(DateTimeOffset.UnixEpoch);
        var restarts = new List<(string Reason, TimeSpan Wait)>();
        var pipeline = SourceRestarts.Create<(string Reason, bool RanWell)>(
            TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), clock, o => o.RanWell, (o, wait) => restarts.Add((o.Reason, wait)));

        // Four failures, a run that went well, then two more failures; the eighth run is stopped.
        string[] script = ["bad", "bad", "bad", "bad", "good", "bad", "bad"];
        var runs = 0;
        using var stop = new CancellationTokenSource();
        var loop = pipeline.ExecuteAsync(
            _ =>
            {
                var reason = runs < script.Length ? script[runs] : "stopped";
                if (++runs > script.Length)
                {
                    stop.Cancel();
                }

                return ValueTask.FromResult<(string Reason, bool RanWell)>((reason, reason == "good"));
            },
            stop.Token).AsTask();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < script.Length; i++)
        {
            waits.Add(await clock.AdvanceToNextWaitAsync(i, Generous, () => $"restart {i} never waited"));
        }

        // Stopped during the eighth run: its outcome is returned, with no restart and no wait.
        var last = await loop.WaitAsync(Generous);
        Assert.Equal("stopped", last.Reason);
        Assert.Equal(script.Length + 1, runs);
        Assert.Equal(script.Length, clock.Waits.Count);
        Assert.Equal([250, 500, 1000, 1000, 250, 500, 1000], waits.Select(w => (int)w.TotalMilliseconds));
        Assert.Equal(waits, restarts.Select(r => r.Wait));
        Assert.Equal(script, restarts.Select(r => r.Reason));
    }

    [Fact]
    public void The_first_wait_is_never_cut_by_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), SourceRestarts.Wait(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), 0));
        Assert.Equal(TimeSpan.FromSeconds(2), SourceRestarts.Wait(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), 1));
        Assert.Equal(TimeSpan.FromSeconds(10), SourceRestarts.Wait(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), int.MaxValue));
    }

    [Fact]
    public async Task Stopping_during_a_restart_wait_ends_the_run_at_once()
    {
        var clock = new ObservedFakeClock(DateTimeOffset.UnixEpoch);
        var pipeline = SourceRestarts.Create<string>(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), clock, _ => false, (_, _) => { });
        using var stop = new CancellationTokenSource();
        var loop = pipeline.ExecuteAsync(_ => ValueTask.FromResult("exited"), stop.Token).AsTask();
        await Eventually.TrueAsync(() => clock.Waits.Count == 1, Generous);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Generous));
        Assert.Equal(DateTimeOffset.UnixEpoch, clock.GetUtcNow());
    }
}
