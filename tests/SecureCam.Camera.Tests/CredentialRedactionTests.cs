using System.Diagnostics;

namespace SecureCam.Camera.Tests;

public sealed class CredentialRedactionTests
{
    [Theory]
    [InlineData("ffmpeg -i rtsp://admin:hunter2@192.168.1.9:554/stream -f mjpeg -", "ffmpeg -i rtsp://***@192.168.1.9:554/stream -f mjpeg -")]
    [InlineData("ffmpeg -i 'http://cam.lan/video.cgi?user=admin&password=hunter2' -", "ffmpeg -i 'http://cam.lan/video.cgi?user=admin&password=***' -")]
    [InlineData("curl -s https://tok_hunter2@cam.lan/mjpeg", "curl -s https://***@cam.lan/mjpeg")]
    [InlineData("gst-launch-1.0 rtspsrc location=rtsp://cam/s user-id=admin user-pw=hunter2 ! x", "gst-launch-1.0 rtspsrc location=rtsp://cam/s user-id=admin user-pw=*** ! x")]
    [InlineData("tool --password hunter2 --api-key=hunter2 -passphrase hunter2", "tool --password *** --api-key=*** -passphrase ***")]
    [InlineData("ffmpeg -headers 'Authorization: Basic aHVudGVyMg==' -i http://cam", "ffmpeg -headers 'Authorization: Basic ***' -i http://cam")]
    [InlineData("[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized (rtsp://admin:hunter2@cam/s)", "[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized (rtsp://***@cam/s)")]
    [InlineData("synthetic 640x360 at 30 fps", "synthetic 640x360 at 30 fps")]
    [InlineData("ffmpeg passes frames, keyframe every 2 s", "ffmpeg passes frames, keyframe every 2 s")]
    public void Credentials_are_masked_and_the_rest_is_kept(string text, string expected)
    {
        Assert.Equal(expected, CredentialRedaction.Redact(text));
    }

    [Fact]
    public void Masking_is_stable_when_applied_twice()
    {
        var once = CredentialRedaction.Redact("rtsp://a:b@c/d password=e --token f");
        Assert.Equal(once, CredentialRedaction.Redact(once));
    }

    [Fact]
    public void Hostile_text_is_masked_quickly_and_never_throws()
    {
        var random = new Random(42);
        var pieces = new[] { "://", "@", ":", "password", "=", " ", "-", "rtsp", "a", "\"", "'", "\n", "Authorization:", "&", "\0" };
        var inputs = new List<string>
        {
            string.Concat(Enumerable.Repeat("rtsp://", 20_000)),
            "rtsp://" + new string('a', 200_000),
            string.Concat(Enumerable.Repeat("password=", 20_000)),
            string.Concat(Enumerable.Repeat("--key ", 20_000)),
            new string('@', 100_000),
        };
        for (var i = 0; i < 500; i++)
        {
            inputs.Add(string.Concat(Enumerable.Range(0, random.Next(1, 200)).Select(_ => pieces[random.Next(pieces.Length)])));
        }

        var watch = Stopwatch.StartNew();
        foreach (var input in inputs)
        {
            var masked = CredentialRedaction.Redact(input);
            Assert.NotNull(masked);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"redaction of hostile text took {watch.Elapsed}");
        Assert.DoesNotContain("hunter2", CredentialRedaction.Redact("x rtsp://u:hunter2@" + new string('h', 5000)));
    }
}
