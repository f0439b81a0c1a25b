using SecureCam.Camera.Jpeg;
using SecureCam.Camera.Synthetic;

namespace SecureCam.Camera.Tests;

/// <summary>Small, real JPEG files made with the project's own encoder, for feeding the splitter.</summary>
internal static class TestJpegs
{
    /// <summary><paramref name="count"/> distinct frames of the synthetic picture.</summary>
    public static List<byte[]> Frames(int count, int width = 160, int height = 96)
    {
        var generator = new SyntheticFrameGenerator(new SyntheticPatternSettings(width, height, 30, 70));
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return Enumerable.Range(1, count).Select(i => generator.Render(i, start.AddSeconds(i))).ToList();
    }

    /// <summary>Inserts an APP1 segment right after SOI whose payload holds FFD8/FFD9 pairs, like an EXIF thumbnail.</summary>
    public static byte[] WithTrickyAppSegment(byte[] jpeg)
    {
        byte[] payload = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, 0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xD9, 0x12, 0xFF, 0xD8];
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        segment[2] = (byte)((payload.Length + 2) >> 8);
        segment[3] = (byte)(payload.Length + 2);
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>The same JPEG with its DHT segment removed, as some MJPEG webcams send it.</summary>
    public static byte[] WithoutHuffmanTables(byte[] jpeg)
    {
        int at = 2;
        while (at + 4 <= jpeg.Length)
        {
            int length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (jpeg[at + 1] == JpegMarkers.Dht)
            {
                return [.. jpeg.AsSpan(0, at), .. jpeg.AsSpan(at + 2 + length)];
            }

            at += 2 + length;
        }

        throw new InvalidOperationException("no DHT segment");
    }
}
