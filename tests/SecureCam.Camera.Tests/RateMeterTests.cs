using Microsoft.Extensions.Time.Testing;

namespace SecureCam.Camera.Tests;

/// <summary>The one rate meter (frames captured, frames and bytes served), driven by a fake clock.</summary>
public sealed class RateMeterTests
{
    [Fact]
    public void A_steady_rate_reads_as_its_events_per_second_once_a_whole_window_has_passed()
    {
        var clock = new FakeTimeProvider();
        var meter = new RateMeter(clock);

        // 15 fps for three seconds: one event every 1/15 s.
        for (var i = 0; i < 45; i++)
        {
            meter.Add();
            clock.Advance(TimeSpan.FromSeconds(1.0 / 15));
        }

        Assert.Equal(45, meter.Total);
        Assert.InRange(meter.PerSecond(), 14.5, 15.5);
    }

    [Fact]
    public void A_stalled_source_decays_to_zero_within_the_window_and_the_total_stays()
    {
        var clock = new FakeTimeProvider();
        var meter = new RateMeter(clock);
        for (var i = 0; i < 30; i++)
        {
            meter.Add();
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.InRange(meter.PerSecond(), 9.5, 10.5);

        clock.Advance(RateMeter.Window / 2);
        Assert.InRange(meter.PerSecond(), 4, 6);

        clock.Advance(RateMeter.Window);
        Assert.Equal(0, meter.PerSecond());
        Assert.Equal(30, meter.Total);
    }

    [Fact]
    public void Amounts_add_up_like_bytes_and_a_ring_slot_reused_laps_later_never_brings_its_old_count_back()
    {
        var clock = new FakeTimeProvider();
        var meter = new RateMeter(clock);
        Assert.Equal(0, meter.PerSecond());
        meter.Add(1000);
        Assert.Equal(0, meter.PerSecond());

        // Just after the first event the rate is over the time since it: 1000 in one ended 100 ms bucket.
        clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(10_000, meter.PerSecond(), 6);

        // 22 buckets (one lap of the ring) after the first: the same slot, which must start again from zero.
        clock.Advance(TimeSpan.FromMilliseconds(2050));
        Assert.Equal(0, meter.PerSecond());
        meter.Add(10);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, meter.PerSecond(), 6);
        Assert.Equal(1010, meter.Total);
    }

    [Fact]
    public async Task Many_threads_adding_at_once_lose_nothing_from_the_total()
    {
        var meter = new RateMeter(TimeProvider.System);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                meter.Add();
            }
        })));

        Assert.Equal(400_000, meter.Total);
    }
}
