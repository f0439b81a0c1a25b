using System.Text;

namespace SecureCam.Bench.Tests;

/// <summary>Builds MJPEG bodies the way the servers under test write them.</summary>
internal static class MjpegStreams
{
    /// <summary>A fake JPEG: SOI, then bytes that include CR, LF and "--" to trip a careless parser.</summary>
    public static byte[] Jpeg(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        if (length > 12)
        {
            "\r\n--\r\n--fr"u8.CopyTo(bytes.AsSpan(4));
        }

        return bytes;
    }

    /// <summary>
    /// SecureCam's layout: boundary line first, then per part headers, body, and the next boundary
    /// right after the body (so the boundary precedes the next part's headers).
    /// </summary>
    public static byte[] BoundaryAfterFrame(string boundary, IReadOnlyList<(long Sequence, long Capture, byte[] Jpeg)> frames, bool withContentLength = true, bool close = false)
    {
        using var stream = new MemoryStream();
        Write(stream, $"--{boundary}\r\n");
        foreach (var (sequence, capture, jpeg) in frames)
        {
            Write(stream, "Content-Type: image/jpeg\r\n");
            if (withContentLength)
            {
                Write(stream, $"Content-Length: {jpeg.Length}\r\n");
            }

            Write(stream, $"X-Frame-Sequence: {sequence}\r\nX-Capture-Time: {capture}\r\n\r\n");
            stream.Write(jpeg);
            Write(stream, $"\r\n--{boundary}" + (close && ReferenceEquals(jpeg, frames[^1].Jpeg) ? "--\r\n" : "\r\n"));
        }

        return stream.ToArray();
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));
}
