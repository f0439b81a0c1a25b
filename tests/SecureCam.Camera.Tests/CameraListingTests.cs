using SecureCam.Camera.V4l2;
using SecureCam.TestSupport;

namespace SecureCam.Camera.Tests;

public sealed class CameraListingTests
{
    [Fact]
    public void No_video_devices_is_said_plainly()
    {
        using var dir = new TempDirectory();
        var devices = V4l2DeviceLister.List(dir.Path);
        Assert.Empty(devices);
        var text = V4l2DeviceReport.Format(devices, dir.Path);
        Assert.StartsWith("No cameras found", text, StringComparison.Ordinal);
        Assert.Contains(dir.Path + "/video*", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_that_is_not_a_video_device_is_reported_with_its_error_not_a_crash()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("video0"), "not a device");
        File.WriteAllText(dir.Combine("video10"), "not a device");
        File.WriteAllText(dir.Combine("videox"), "ignored");
        var devices = V4l2DeviceLister.List(dir.Path);
        Assert.Equal([dir.Combine("video0"), dir.Combine("video10")], devices.Select(d => d.Path));
        Assert.All(devices, d => Assert.Contains("VIDIOC_QUERYCAP", d.Error, StringComparison.Ordinal));
        Assert.Contains("cannot query", V4l2DeviceReport.Format(devices), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_v4l2_source_on_a_missing_device_records_the_error_and_keeps_retrying()
    {
        var source = new V4l2FrameSource("/dev/video-securecam-missing", new V4l2CaptureSettings(640, 480, 30, 80, 1 << 20, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5)));
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = source.RunAsync(sink, cts.Token);
        await Eventually.TrueAsync(() => sink.Restarts >= 2, TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(sink.Reasons, r => r.Contains("cannot open /dev/video-securecam-missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_v4l2_source_reopens_a_missing_device_after_waits_that_double_up_to_the_cap_on_its_clock()
    {
        var clock = new ObservedFakeClock(DateTimeOffset.UnixEpoch);
        var source = new V4l2FrameSource("/dev/video-securecam-missing", new V4l2CaptureSettings(640, 480, 30, 80, 1 << 20, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)), time: clock);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = source.RunAsync(sink, cts.Token);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            waits.Add(await clock.AdvanceToNextWaitAsync(i, TimeSpan.FromSeconds(30), () => $"reopen {i} never waited; {sink.Restarts} restarts"));
        }

        await Eventually.TrueAsync(() => sink.Restarts >= 5, TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([500, 1000, 2000, 2000], waits.Select(w => (int)w.TotalMilliseconds));
    }
}
