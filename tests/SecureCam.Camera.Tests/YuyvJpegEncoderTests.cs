using SecureCam.Camera.V4l2;

namespace SecureCam.Camera.Tests;

public sealed class YuyvJpegEncoderTests
{
    [SkippableFact]
    public async Task A_yuyv_picture_encodes_to_a_jpeg_that_decodes_to_the_same_brightness()
    {
        const int width = 320, height = 240, stride = (width * 2) + 64;
        var yuyv = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x += 2)
            {
                // A left-to-right luma ramp with neutral chroma; the row padding is garbage on purpose.
                int i = (y * stride) + (x * 2);
                yuyv[i] = (byte)(x * 255 / width);
                yuyv[i + 1] = 128;
                yuyv[i + 2] = (byte)((x + 1) * 255 / width);
                yuyv[i + 3] = 128;
            }

            yuyv.AsSpan((y * stride) + (width * 2), 64).Fill(0xFF);
        }

        byte[] jpeg;
        try
        {
            using var encoder = new YuyvJpegEncoder(85);
            jpeg = encoder.Encode(yuyv, width, height, stride);
        }
        catch (TurboJpegUnavailableException ex)
        {
            SecureCam.TestSupport.Peer.RequireThat(false, ex.Message);
            throw;
        }

        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        await JpegDecoder.AssertDecodesAsync(jpeg, "yuyv");
        var gray = await JpegDecoder.DecodeGrayAsync(jpeg);
        Assert.Equal(width * height, gray.Length);

        // Sample the ramp: the decoded brightness follows the source within JPEG error.
        for (int x = 8; x < width; x += 40)
        {
            int expected = x * 255 / width;
            int actual = gray[(120 * width) + x];
            Assert.InRange(actual, expected - 6, expected + 6);
        }
    }

    [Fact]
    public void A_too_small_buffer_is_rejected_clearly()
    {
        try
        {
            using var encoder = new YuyvJpegEncoder(80);
            var ex = Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[100], 320, 240, 640));
            Assert.Contains("too small", ex.Message, StringComparison.Ordinal);
        }
        catch (TurboJpegUnavailableException ex)
        {
            Assert.Contains("libturbojpeg0", ex.Message, StringComparison.Ordinal);
        }
    }
}
