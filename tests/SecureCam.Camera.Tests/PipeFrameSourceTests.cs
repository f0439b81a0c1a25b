using System.Globalization;
using SecureCam.Camera.Pipe;
using SecureCam.TestSupport;

namespace SecureCam.Camera.Tests;

public sealed class PipeFrameSourceTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static readonly PipeFrameSourceSettings Settings = new(8 * 1024 * 1024, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));

    [SkippableFact]
    public async Task Ffmpeg_mjpeg_through_the_pipe_becomes_decodable_frames_in_the_hub()
    {
        var ffmpeg = Peer.Require("ffmpeg");
        var source = new PipeFrameSource(FfmpegCommand(ffmpeg, exec: false), Settings);
        await using var hub = new FrameHub(source);
        using var lease = hub.AddViewer();

        var frames = new List<Frame>();
        long last = 0;
        while (frames.Count < 20)
        {
            var frame = await hub.WaitForFrameAfterAsync(last, CancellationToken.None).WaitAsync(Generous);
            frames.Add(frame);
            last = frame.Sequence;
        }

        Assert.All(frames, f => Assert.Equal((640, 360), (f.Width, f.Height)));
        await JpegDecoder.AssertDecodesAsync(frames[0].Jpeg.ToArray(), "first");
        await JpegDecoder.AssertDecodesAsync(frames[^1].Jpeg.ToArray(), "last");
        Assert.NotEqual(frames[0].Jpeg.ToArray(), frames[^1].Jpeg.ToArray());
        var status = hub.GetStatus();
        Assert.Equal("pipe", status.SourceKind);
        Assert.Equal(0, status.FramesSkipped);
        Assert.Equal(0, status.Restarts);
    }

    [SkippableFact]
    public async Task A_killed_command_is_restarted_and_frames_resume()
    {
        var ffmpeg = Peer.Require("ffmpeg");
        var kill = Peer.Require("kill", "procps");
        var source = new PipeFrameSource(FfmpegCommand(ffmpeg, exec: true), Settings with { InitialBackoff = TimeSpan.FromMilliseconds(100) });
        await using var hub = new FrameHub(source);
        using var lease = hub.AddViewer();

        var before = await hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous);
        var pid = source.CurrentProcessId;
        Assert.NotNull(pid);
        var killed = await ExternalProcess.RunAsync(kill, ["-KILL", pid.Value.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, killed.ExitCode);

        await Eventually.TrueAsync(() => hub.GetStatus().Restarts >= 1, Generous, () => "the killed command was not noticed");
        await Eventually.TrueAsync(() => source.CurrentProcessId is { } p && p != pid, Generous, () => "the command was not started again");
        long afterRestart = hub.GetStatus().LastSequence;
        var resumed = await hub.WaitForFrameAfterAsync(afterRestart, CancellationToken.None).WaitAsync(Generous);
        Assert.True(resumed.Sequence > before.Sequence);
        Assert.Contains("code", hub.GetStatus().LastError, StringComparison.Ordinal);
        await JpegDecoder.AssertDecodesAsync(resumed.Jpeg.ToArray(), "resumed");
    }

    [Fact]
    public async Task Garbage_and_truncated_frames_from_a_command_are_skipped_never_served()
    {
        using var dir = new TempDirectory();
        var frames = TestJpegs.Frames(3);
        var streamFile = dir.Combine("stream.bin");
        await File.WriteAllBytesAsync(streamFile, [.. "garbage\n"u8, .. frames[0], .. frames[1].AsSpan(0, 500), .. frames[2], .. "tail"u8]);
        var source = new PipeFrameSource($"cat '{streamFile}'", Settings with { InitialBackoff = TimeSpan.FromSeconds(30) });
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Generous);
        var run = source.RunAsync(sink, cts.Token);
        await Eventually.TrueAsync(() => sink.Restarts >= 1, Generous, () => "cat ending was not seen as an exit");
        await cts.CancelAsync();
        await run;

        Assert.Equal([frames[0], frames[2]], sink.Kept.ToArray());
        Assert.Equal(1, sink.Skipped);
        Assert.True(sink.Discarded >= 8);
        Assert.Contains(sink.Reasons, r => r.Contains("exited with code 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_cannot_run_is_retried_and_its_stderr_reported()
    {
        var source = new PipeFrameSource("echo camera-not-connected >&2; exit 3", Settings with { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Generous);
        var run = source.RunAsync(sink, cts.Token);
        await Eventually.TrueAsync(() => sink.Restarts >= 3, Generous);
        await cts.CancelAsync();
        await run;
        Assert.Contains(sink.Reasons, r => r.Contains("exited with code 3", StringComparison.Ordinal) && r.Contains("camera-not-connected", StringComparison.Ordinal));
        Assert.Equal(0, sink.Frames);
    }

    [Fact]
    public async Task A_command_that_goes_quiet_is_killed_and_restarted()
    {
        var source = new PipeFrameSource("exec sleep 300", Settings with { StallTimeout = TimeSpan.FromSeconds(1), InitialBackoff = TimeSpan.FromMilliseconds(50) });
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Generous);
        var run = source.RunAsync(sink, cts.Token);
        await Eventually.TrueAsync(() => sink.Restarts >= 2, Generous, () => "a silent command was not restarted");
        await cts.CancelAsync();
        await run.WaitAsync(Generous);
        Assert.Contains(sink.Reasons, r => r.Contains("delivered no frame for 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_command_is_restarted_after_waits_that_double_up_to_the_cap_on_the_sources_clock()
    {
        var clock = new ObservedFakeClock(DateTimeOffset.UnixEpoch);
        var source = new PipeFrameSource("exit 3", Settings with { InitialBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(1) }, time: clock);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Generous);
        var run = source.RunAsync(sink, cts.Token);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            waits.Add(await clock.AdvanceToNextWaitAsync(i, Generous, () => $"restart {i} never waited; {sink.Restarts} restarts"));
        }

        await Eventually.TrueAsync(() => sink.Restarts >= 6, Generous);
        await cts.CancelAsync();
        await run.WaitAsync(Generous);
        Assert.Equal([250, 500, 1000, 1000, 1000], waits.Select(w => (int)w.TotalMilliseconds));
        Assert.All(sink.Reasons, r => Assert.Contains("exited with code 3", r, StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromMilliseconds(3750), clock.GetUtcNow() - DateTimeOffset.UnixEpoch);
    }

    [SkippableFact]
    public async Task Ffmpeg_frames_mixed_with_garbage_and_cuts_come_out_as_decodable_jpegs_only()
    {
        // ffmpeg's MJPEG has no restart markers, unlike our own frames: the splitter must cope
        // with either. Every emitted frame must decode cleanly.
        var ffmpeg = Peer.Require("ffmpeg");
        using var dir = new TempDirectory();
        var mjpeg = dir.Combine("clip.mjpeg");
        var made = await ExternalProcess.RunAsync(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=10", "-frames:v", "8", "-f", "mjpeg", "-y", mjpeg]);
        Assert.Equal(0, made.ExitCode);
        var originals = new List<byte[]>();
        var reader = new SecureCam.Camera.Jpeg.JpegStreamSplitter(1 << 20, (f, _) => originals.Add(f), _ => { }, _ => { });
        reader.Push(await File.ReadAllBytesAsync(mjpeg));
        Assert.Equal(8, originals.Count);

        var random = new Random(42);
        using var stream = new MemoryStream();
        var whole = new List<byte[]>();
        foreach (var frame in originals)
        {
            var garbage = new byte[random.Next(1, 500)];
            random.NextBytes(garbage);
            stream.Write(garbage);
            stream.Write(frame.AsSpan(0, random.Next(10, frame.Length - 10)));
            stream.Write(frame);
            whole.Add(frame);
        }

        var emitted = new List<byte[]>();
        var splitter = new SecureCam.Camera.Jpeg.JpegStreamSplitter(1 << 20, (f, _) => emitted.Add(f), _ => { }, _ => { });
        var bytes = stream.ToArray();
        for (int at = 0; at < bytes.Length; at += 777)
        {
            splitter.Push(bytes.AsSpan(at, Math.Min(777, bytes.Length - at)));
        }

        Assert.True(emitted.Count >= whole.Count, $"{emitted.Count} frames emitted for {whole.Count} whole ones");
        foreach (var frame in emitted)
        {
            await JpegDecoder.AssertDecodesAsync(frame);
        }

        Assert.All(whole, w => Assert.Contains(emitted, e => e.AsSpan().SequenceEqual(w)));
    }

    private static string FfmpegCommand(string ffmpeg, bool exec) =>
        $"{(exec ? "exec " : string.Empty)}'{ffmpeg}' -hide_banner -loglevel error -re -f lavfi -i testsrc=size=640x360:rate=30 -f mjpeg -q:v 5 -";
}
