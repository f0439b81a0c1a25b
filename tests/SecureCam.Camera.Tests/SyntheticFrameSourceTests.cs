using SecureCam.Camera.Jpeg;
using SecureCam.Camera.Synthetic;

namespace SecureCam.Camera.Tests;

public sealed class SyntheticFrameSourceTests
{
    [SkippableFact]
    public async Task Frames_at_720p_decode_change_every_frame_and_are_near_a_hundred_kilobytes()
    {
        var source = new SyntheticFrameSource(new SyntheticPatternSettings(1280, 720, 30, 75));
        var sink = new RecordingSink(keep: 3);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = source.RunAsync(sink, cts.Token);
        await SecureCam.TestSupport.Eventually.TrueAsync(() => sink.Frames >= 3, TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await run;

        var frames = sink.Kept.ToArray();
        Assert.Equal((1280, 720), sink.LastSize);
        Assert.NotEqual(frames[0], frames[1]);
        Assert.NotEqual(frames[1], frames[2]);
        foreach (var frame in frames)
        {
            Assert.InRange(frame.Length, 60_000, 200_000);
            await JpegDecoder.AssertDecodesAsync(frame);
        }

        // The picture itself changes, not just the bytes.
        Assert.NotEqual(await JpegDecoder.DecodeGrayAsync(frames[0]), await JpegDecoder.DecodeGrayAsync(frames[1]));
    }

    [Fact]
    public void Reusing_cached_intervals_gives_the_same_bytes_as_encoding_everything()
    {
        // The cache is only correct if an interval's bytes depend on its pixels alone.
        var encoder = new RestartIntervalJpegEncoder(200, 120, 80, 4);
        var background = SyntheticBackground.Paint(200, 120);
        var cache = encoder.EncodeAllIntervals(background);
        var canvas = background.Clone();
        var box = new PixelRect(37, 50, 41, 33);
        PlanePainter.FillRect(canvas, box, YCbCrColor.FromHue(200));
        PlanePainter.DrawText(canvas, "12:34", 100, 10, 2, 235);
        var dirty = new bool[encoder.IntervalCount];
        encoder.MarkDirty(box, dirty);
        encoder.MarkDirty(new PixelRect(100, 10, 60, 14), dirty);

        var incremental = encoder.Encode(canvas, dirty, cache);
        var full = encoder.Encode(canvas, dirty, cache: null);
        Assert.Equal(full, incremental);
        Assert.Contains(false, dirty);
        Assert.NotEqual(encoder.Encode(background, new bool[encoder.IntervalCount], cache), full);
    }

    [SkippableFact]
    public async Task Odd_sizes_that_are_not_whole_macroblocks_decode()
    {
        var generator = new SyntheticFrameGenerator(new SyntheticPatternSettings(250, 138, 10, 90));
        var jpeg = generator.Render(5, DateTimeOffset.UtcNow);
        await JpegDecoder.AssertDecodesAsync(jpeg);
        Assert.Equal(250 * 138, (await JpegDecoder.DecodeGrayAsync(jpeg)).Length);
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_key_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SyntheticFrameSource(new SyntheticPatternSettings(1281, 720)));
        Assert.Contains("Camera:Width", ex.Message, StringComparison.Ordinal);
    }
}
