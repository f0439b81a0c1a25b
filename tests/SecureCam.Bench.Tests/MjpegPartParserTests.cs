using System.Text;
using SecureCam.Bench.Mjpeg;

namespace SecureCam.Bench.Tests;

public class MjpegPartParserTests
{
    private static readonly (long, long, byte[])[] Frames =
    [
        (7, 1_700_000_000_001, MjpegStreams.Jpeg(300, 1)),
        (8, 1_700_000_000_034, MjpegStreams.Jpeg(50, 2)),
        (10, 1_700_000_000_100, MjpegStreams.Jpeg(1000, 3)),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_part_is_reported_with_its_headers_whatever_the_read_sizes(bool withContentLength)
    {
        var body = MjpegStreams.BoundaryAfterFrame("frame", Frames, withContentLength);
        foreach (var split in new[] { 1, 2, 3, 5, 7, 13, 64, 4096 })
        {
            var observer = new RecordingObserver();
            var parser = new MjpegPartParser("frame", observer);
            for (var i = 0; i < body.Length; i += split)
            {
                parser.Consume(body.AsSpan(i, Math.Min(split, body.Length - i)));
            }

            // Without Content-Length a part ends only when the next boundary has been seen, which
            // the layout here sends right after each frame, so all three parts are complete.
            Assert.Equal(3, observer.Parts.Count);
            for (var p = 0; p < 3; p++)
            {
                var (sequence, capture, jpeg) = Frames[p];
                Assert.Equal(new MjpegPart(jpeg.Length, sequence, capture, StartsWithJpegMarker: true), observer.Parts[p]);
            }

            Assert.Equal(0, parser.SkippedLines);
        }
    }

    [Fact]
    public void Random_splits_of_a_long_stream_lose_nothing()
    {
        var frames = Enumerable.Range(1, 200).Select(i => ((long)i, 1_700_000_000_000L + i, MjpegStreams.Jpeg(100 + (i * 37 % 3000), i))).ToArray();
        foreach (var withContentLength in new[] { true, false })
        {
            var body = MjpegStreams.BoundaryAfterFrame("b0undary", frames, withContentLength);
            var random = new Random(42);
            var observer = new RecordingObserver();
            var parser = new MjpegPartParser("b0undary", observer);
            for (var i = 0; i < body.Length;)
            {
                var n = Math.Min(random.Next(1, 9000), body.Length - i);
                parser.Consume(body.AsSpan(i, n));
                i += n;
            }

            Assert.Equal(frames.Select(f => (f.Item1, f.Item2, (long)f.Item3.Length)), observer.Parts.Select(p => (p.Sequence, p.CaptureTimeUnixMs, p.Length)));
        }
    }

    [Fact]
    public void A_closing_boundary_ends_the_stream()
    {
        var body = MjpegStreams.BoundaryAfterFrame("frame", Frames, close: true);
        var observer = new RecordingObserver();
        var parser = new MjpegPartParser("frame", observer);
        parser.Consume(body);
        parser.Consume("epilogue is ignored\r\n"u8);
        Assert.True(parser.IsClosed);
        Assert.Equal(3, observer.Parts.Count);
    }

    [Fact]
    public void Ffmpeg_style_layout_with_boundary_before_each_part_and_a_preamble_is_read()
    {
        // ffmpeg's mpjpeg muxer writes the boundary before each part and no X- headers.
        var jpeg = MjpegStreams.Jpeg(200, 9);
        var text = new MemoryStream();
        text.Write("a preamble line\r\n\r\n"u8);
        for (var i = 0; i < 2; i++)
        {
            text.Write(Encoding.ASCII.GetBytes($"--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: {jpeg.Length}\r\n\r\n"));
            text.Write(jpeg);
            text.Write("\r\n"u8);
        }

        var observer = new RecordingObserver();
        new MjpegPartParser("ffmpeg", observer).Consume(text.ToArray());
        Assert.Equal([new MjpegPart(200, -1, -1, true), new MjpegPart(200, -1, -1, true)], observer.Parts);
    }

    [Fact]
    public void A_wrong_content_length_is_survived_and_counted()
    {
        var good = MjpegStreams.Jpeg(100, 1);
        var body = new MemoryStream();
        body.Write("--f\r\nContent-Length: 90\r\nX-Frame-Sequence: 1\r\n\r\n"u8); // 10 bytes short
        body.Write(good);
        body.Write("\r\n--f\r\nContent-Length: 100\r\nX-Frame-Sequence: 2\r\n\r\n"u8);
        body.Write(good);
        body.Write("\r\n--f\r\n"u8);
        var observer = new RecordingObserver();
        var parser = new MjpegPartParser("f", observer);
        parser.Consume(body.ToArray());
        Assert.Equal([1L, 2L], observer.Parts.Select(p => p.Sequence));
        Assert.True(parser.SkippedLines > 0);
    }

    [Fact]
    public void A_part_that_is_not_a_jpeg_is_marked()
    {
        var body = "--f\r\nContent-Length: 5\r\n\r\nhello\r\n--f\r\n"u8.ToArray();
        var observer = new RecordingObserver();
        new MjpegPartParser("f", observer).Consume(body);
        Assert.False(Assert.Single(observer.Parts).StartsWithJpegMarker);
    }

    [Theory]
    [InlineData("--f\r\nContent-Length: many\r\n\r\n")]
    [InlineData("--f\r\nX-Frame-Sequence: -3\r\n\r\n")]
    [InlineData("--f\r\nno colon here\r\n\r\n")]
    public void Bad_part_headers_are_errors(string head)
    {
        var parser = new MjpegPartParser("f", new RecordingObserver());
        Assert.Throws<InvalidDataException>(() => parser.Consume(Encoding.ASCII.GetBytes(head)));
    }

    [Fact]
    public void A_header_line_longer_than_one_kibibyte_is_an_error()
    {
        var parser = new MjpegPartParser("f", new RecordingObserver());
        parser.Consume("--f\r\nX-Padding: "u8);
        Assert.Throws<InvalidDataException>(() => parser.Consume(Encoding.ASCII.GetBytes(new string('x', 2000) + "\r\n")));
    }
}
