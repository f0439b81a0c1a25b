using SecureCam.Bench.Mjpeg;
using SecureCam.Bench.Workloads;

namespace SecureCam.Bench.Tests;

public class ViewerRecorderTests
{
    [Fact]
    public void Gaps_in_the_sequence_are_missed_frames_and_delays_are_from_capture_to_arrival()
    {
        var recording = false;
        var now = 1_000.0;
        var recorder = new ViewerRecorder(() => recording, () => now, 16);
        recorder.OnPart(new MjpegPart(10, 1, 900, true)); // before the window: only sets the last sequence
        recording = true;
        recorder.OnPart(new MjpegPart(10, 2, 990, true));
        recorder.OnPart(new MjpegPart(10, 5, 995, true)); // 3 and 4 missed
        recorder.OnPart(new MjpegPart(20, 6, -1, false));

        Assert.Equal(3, recorder.Frames);
        Assert.Equal(40, recorder.FrameBytes);
        Assert.Equal(2, recorder.Missed);
        Assert.Equal(1, recorder.NotJpeg);
        Assert.Equal(1, recorder.WithoutCaptureTime);
        Assert.Equal([10.0, 5.0], recorder.DelaysMs.Items.ToArray());
    }
}
