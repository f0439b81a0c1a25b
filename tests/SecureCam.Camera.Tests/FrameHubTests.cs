using Microsoft.Extensions.Time.Testing;
using SecureCam.Camera.Synthetic;
using SecureCam.TestSupport;

namespace SecureCam.Camera.Tests;

public sealed class FrameHubTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_fast_viewer_gets_every_frame_while_a_stalled_one_holds_nothing_back()
    {
        const int frames = 3000;
        var template = TestJpegs.Frames(1, 320, 192)[0];
        var source = new PacedSource(frames, template);
        await using var hub = new FrameHub(source, new FrameHubOptions { IdleGracePeriod = TimeSpan.FromMinutes(5) });

        using var stalledLease = hub.AddViewer();
        using var fastLease = hub.AddViewer();

        // The stalled viewer asks once and never again; the fast one asks after every frame.
        var stalled = hub.WaitForFrameAfterAsync(0, CancellationToken.None);
        source.Release();
        var first = await hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous);
        Assert.Equal(1, first.Sequence);
        Assert.Same(first, await stalled.WaitAsync(Generous));

        long last = first.Sequence;
        long memoryAfterWarmup = 0;
        for (int i = 2; i <= frames; i++)
        {
            if (i == 200)
            {
                memoryAfterWarmup = SettledMemory();
            }

            source.Release();
            var frame = await hub.WaitForFrameAfterAsync(last, CancellationToken.None).WaitAsync(Generous);
            Assert.Equal(last + 1, frame.Sequence);
            Assert.True(frame.Jpeg.Span.SequenceEqual(template));
            last = frame.Sequence;
        }

        long memoryAtEnd = SettledMemory();
        Assert.Equal(frames, last);
        Assert.Equal(frames, hub.GetStatus().FramesCaptured);
        Assert.Equal(2, hub.GetStatus().Viewers);

        // Queuing the 2,800 later frames for the stalled viewer would cost 2,800 frames of memory;
        // a tenth of that is the allowance for runtime noise (JIT, thread pool, allocator).
        long growth = memoryAtEnd - memoryAfterWarmup;
        long queued = (frames - 200L) * template.Length;
        Assert.True(growth < queued / 10, $"memory grew by {growth} bytes over {frames - 200} frames of {template.Length} bytes");
    }

    [Fact]
    public async Task Every_viewer_gets_the_same_frame_instance_not_a_copy()
    {
        var source = new PacedSource(1, TestJpegs.Frames(1)[0]);
        await using var hub = new FrameHub(source);
        using var a = hub.AddViewer();
        using var b = hub.AddViewer();
        var waitA = hub.WaitForFrameAfterAsync(0, CancellationToken.None);
        var waitB = hub.WaitForFrameAfterAsync(0, CancellationToken.None);
        source.Release();
        Assert.Same(await waitA.WaitAsync(Generous), await waitB.WaitAsync(Generous));
    }

    [Fact]
    public async Task Capture_stops_when_the_last_viewer_leaves_and_restarts_for_the_next()
    {
        var source = new CountingSource(new SyntheticFrameSource(new SyntheticPatternSettings(160, 96, 30)));
        await using var hub = new FrameHub(source, new FrameHubOptions { IdleGracePeriod = TimeSpan.FromMilliseconds(200) });
        Assert.False(hub.GetStatus().IsCapturing);
        Assert.Equal(0, source.Starts);

        long seen;
        using (hub.AddViewer())
        {
            var frame = await hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous);
            var next = await hub.WaitForFrameAfterAsync(frame.Sequence, CancellationToken.None).WaitAsync(Generous);
            seen = next.Sequence;
            Assert.True(hub.GetStatus().IsCapturing);
            Assert.Equal(1, hub.GetStatus().Viewers);
        }

        await Eventually.TrueAsync(() => !source.IsRunning && !hub.GetStatus().IsCapturing, Generous, () => "capture did not stop after the last viewer left");
        Assert.Equal(0, hub.GetStatus().Viewers);
        long stoppedAt = hub.GetStatus().LastSequence;
        Assert.True(stoppedAt >= seen);

        using (hub.AddViewer())
        {
            var resumed = await hub.WaitForFrameAfterAsync(stoppedAt, CancellationToken.None).WaitAsync(Generous);
            Assert.True(resumed.Sequence > stoppedAt);
            Assert.Equal(2, source.Starts);
        }

        await Eventually.TrueAsync(() => !source.IsRunning, Generous, () => "capture did not stop the second time");
    }

    [Fact]
    public async Task Capture_stopped_is_raised_once_per_run_after_the_source_has_returned()
    {
        var source = new CountingSource(new SyntheticFrameSource(new SyntheticPatternSettings(160, 96, 30)));
        await using var hub = new FrameHub(source, new FrameHubOptions { IdleGracePeriod = TimeSpan.FromMilliseconds(100) });
        var stops = 0;
        var sourceStillRunning = false;
        hub.CaptureStopped += (_, _) =>
        {
            sourceStillRunning |= source.IsRunning;
            Interlocked.Increment(ref stops);
        };

        for (var run = 1; run <= 2; run++)
        {
            using (hub.AddViewer())
            {
                await hub.WaitForFrameAfterAsync(hub.GetStatus().LastSequence, CancellationToken.None).WaitAsync(Generous);
                Assert.Equal(run - 1, Volatile.Read(ref stops));
            }

            var expected = run;
            await Eventually.TrueAsync(() => Volatile.Read(ref stops) == expected, Generous, () => $"CaptureStopped raised {stops} times after run {expected}");
        }

        Assert.False(sourceStillRunning, "CaptureStopped was raised before the source returned");
        Assert.Equal(2, source.Starts);
    }

    [Fact]
    public async Task A_snapshot_starts_capture_returns_a_fresh_frame_and_lets_capture_stop_after_the_grace_period()
    {
        var source = new CountingSource(new SyntheticFrameSource(new SyntheticPatternSettings(160, 96, 30)));
        var freshness = TimeSpan.FromMilliseconds(500);
        await using var hub = new FrameHub(source, new FrameHubOptions { IdleGracePeriod = TimeSpan.FromMilliseconds(300), SnapshotFreshness = freshness });

        var first = await hub.GetSnapshotAsync(Generous, CancellationToken.None);
        Assert.True(first.Jpeg.Length > 100);
        Assert.Equal((160, 96), (first.Width, first.Height));
        Assert.Equal(1, source.Starts);

        await Eventually.TrueAsync(() => !source.IsRunning, Generous, () => "capture kept running with no viewer and no recent snapshot");
        var last = hub.Latest!;
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow - last.CapturedAt > freshness + TimeSpan.FromMilliseconds(100), Generous);

        // The newest frame is stale now: the snapshot starts capture again and waits for a new frame.
        var afterIdle = await hub.GetSnapshotAsync(Generous, CancellationToken.None);
        Assert.True(afterIdle.Sequence > last.Sequence);
        Assert.True(DateTimeOffset.UtcNow - afterIdle.CapturedAt < Generous);
        Assert.Equal(2, source.Starts);
    }

    [Fact]
    public async Task A_snapshot_times_out_with_a_clear_message_when_no_frame_comes()
    {
        var source = new PacedSource(0, [0xFF, 0xD8, 0xFF, 0xD9]);
        await using var hub = new FrameHub(source);
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => hub.GetSnapshotAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.Contains("No frame from the camera", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reports_source_resolution_rate_and_viewers()
    {
        var source = new SyntheticFrameSource(new SyntheticPatternSettings(320, 192, 30));
        await using var hub = new FrameHub(source);
        using var lease = hub.AddViewer();
        long last = 0;
        for (int i = 0; i < 10; i++)
        {
            last = (await hub.WaitForFrameAfterAsync(last, CancellationToken.None).WaitAsync(Generous)).Sequence;
        }

        var status = hub.GetStatus();
        Assert.Equal("synthetic", status.SourceKind);
        Assert.Equal((320, 192), (status.Width, status.Height));
        Assert.Equal(1, status.Viewers);
        Assert.True(status.IsCapturing);
        Assert.True(status.CapturedFps > 1, $"fps {status.CapturedFps}");
        Assert.True(status.FramesCaptured >= 10);
        Assert.True(status.LastFrameBytes > 0);
    }

    [Fact]
    public async Task A_source_that_gives_up_is_not_restarted_by_the_hub_its_viewers_are_told_and_the_next_viewer_starts_it_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new GivingUpSource(failures: 1, TestJpegs.Frames(1)[0]);
        await using var hub = new FrameHub(source, new FrameHubOptions { IdleGracePeriod = TimeSpan.FromMinutes(5) }, time: clock);

        using (hub.AddViewer())
        {
            var failed = await Assert.ThrowsAsync<FrameSourceFailedException>(() => hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous));
            Assert.Contains("libcamera is not installed", failed.Message, StringComparison.Ordinal);
            var status = hub.GetStatus();
            Assert.False(status.IsCapturing);
            Assert.Equal(0, status.Restarts);
            Assert.Contains("giving-up source failed: libcamera is not installed", status.LastError, StringComparison.Ordinal);

            // The hub keeps no timer to try again: an hour later the source was still started once.
            clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(1, source.Starts);
            await Assert.ThrowsAsync<FrameSourceFailedException>(() => hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous));
        }

        using (hub.AddViewer())
        {
            var frame = await hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous);
            Assert.Equal(1, frame.Sequence);
            Assert.Equal(2, source.Starts);
            Assert.True(hub.GetStatus().IsCapturing);
        }
    }

    [Fact]
    public async Task A_snapshot_from_a_source_that_gives_up_says_why_at_once()
    {
        var source = new GivingUpSource(failures: 1, TestJpegs.Frames(1)[0]);
        await using var hub = new FrameHub(source);
        var failed = await Assert.ThrowsAsync<FrameSourceFailedException>(() => hub.GetSnapshotAsync(Generous, CancellationToken.None));
        Assert.Contains("libcamera is not installed", failed.Message, StringComparison.Ordinal);
        Assert.True((await hub.GetSnapshotAsync(Generous, CancellationToken.None)).Sequence >= 1);
        Assert.Equal(2, source.Starts);
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
