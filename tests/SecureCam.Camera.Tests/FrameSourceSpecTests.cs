using SecureCam.Camera.Pipe;
using SecureCam.Camera.Synthetic;
using SecureCam.Camera.V4l2;

namespace SecureCam.Camera.Tests;

public sealed class FrameSourceSpecTests
{
    [Theory]
    [InlineData("synthetic", FrameSourceKind.Synthetic, "")]
    [InlineData("", FrameSourceKind.Synthetic, "")]
    [InlineData("pipe:\"rpicam-vid -t 0 --codec mjpeg -o -\"", FrameSourceKind.Pipe, "rpicam-vid -t 0 --codec mjpeg -o -")]
    [InlineData("pipe:ffmpeg -f mjpeg -", FrameSourceKind.Pipe, "ffmpeg -f mjpeg -")]
    [InlineData("v4l2:/dev/video2", FrameSourceKind.V4l2, "/dev/video2")]
    public void Parses_the_three_kinds(string spec, FrameSourceKind kind, string argument)
    {
        Assert.Equal(new FrameSourceSpec(kind, argument), FrameSourceSpec.Parse(spec));
    }

    [Theory]
    [InlineData("webcam")]
    [InlineData("pipe:")]
    [InlineData("v4l2:video0")]
    public void Rejects_others_with_one_line_naming_the_key(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => FrameSourceSpec.Parse(spec));
        Assert.StartsWith("Camera:Source", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void The_factory_makes_each_kind()
    {
        var options = new CameraOptions();
        Assert.IsType<SyntheticFrameSource>(FrameSourceFactory.Create(options));
        Assert.IsType<PipeFrameSource>(FrameSourceFactory.Create("pipe:cat", options));
        Assert.IsType<V4l2FrameSource>(FrameSourceFactory.Create("v4l2:/dev/video0", options));
    }

    [Fact]
    public void Options_out_of_range_name_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CameraOptions { Fps = 0 }.Validate());
        Assert.Contains("Camera:Fps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrameHub_Create_builds_the_configured_source_and_serves_a_snapshot()
    {
        await using var hub = FrameHub.Create(new CameraOptions { Width = 320, Height = 180, Fps = 15, IdleGraceSeconds = 1 });
        Assert.Equal("synthetic", hub.GetStatus().SourceKind);
        var frame = await hub.GetSnapshotAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal((320, 180), (frame.Width, frame.Height));
    }

    [Fact]
    public void FrameHub_Create_rejects_bad_options_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => FrameHub.Create(new CameraOptions { Source = "v4l2:video0" }));
        Assert.StartsWith("Camera:Source", ex.Message, StringComparison.Ordinal);
    }
}
