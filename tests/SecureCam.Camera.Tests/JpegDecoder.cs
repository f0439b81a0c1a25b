using SecureCam.TestSupport;

namespace SecureCam.Camera.Tests;

/// <summary>Checks JPEGs with ffmpeg, an independent decoder.</summary>
internal static class JpegDecoder
{
    /// <summary>Asserts that ffmpeg decodes <paramref name="jpeg"/> without a single complaint.</summary>
    public static async Task AssertDecodesAsync(byte[] jpeg, string name = "frame")
    {
        var ffmpeg = Peer.Require("ffmpeg");
        using var dir = new TempDirectory("securecam-jpeg");
        var path = dir.Combine(name + ".jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        var result = await ExternalProcess.RunAsync(ffmpeg, ["-v", "error", "-i", path, "-f", "null", "-"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0 && result.StandardError.Trim().Length == 0, $"ffmpeg could not decode {name} ({jpeg.Length} bytes): {result.StandardError}");
    }

    /// <summary>Decodes to raw 8-bit grey pixels with ffmpeg.</summary>
    public static async Task<byte[]> DecodeGrayAsync(byte[] jpeg)
    {
        var ffmpeg = Peer.Require("ffmpeg");
        using var dir = new TempDirectory("securecam-jpeg");
        var input = dir.Combine("in.jpg");
        var output = dir.Combine("out.gray");
        await File.WriteAllBytesAsync(input, jpeg);
        var result = await ExternalProcess.RunAsync(ffmpeg, ["-v", "error", "-i", input, "-f", "rawvideo", "-pix_fmt", "gray", "-y", output], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, "ffmpeg failed: " + result.StandardError);
        return await File.ReadAllBytesAsync(output);
    }
}
