namespace SecureCam.Camera.Jpeg;

/// <summary>
/// Many USB webcams send MJPEG frames without a DHT segment and rely on the standard tables
/// (the AVI1 MJPEG convention). Browsers and most decoders refuse such a file, so the standard DHT
/// is inserted before the first SOS.
/// </summary>
internal static class HuffmanTableInserter
{
    private static readonly byte[] StandardDht = JpegStandardTables.BuildDhtSegment();

    public static byte[] EnsureHuffmanTables(byte[] jpeg, JpegFrameInfo info)
    {
        if (info.HasHuffmanTables || info.FirstScanOffset < 2 || info.FirstScanOffset > jpeg.Length)
        {
            return jpeg;
        }

        var result = new byte[jpeg.Length + StandardDht.Length];
        jpeg.AsSpan(0, info.FirstScanOffset).CopyTo(result);
        StandardDht.CopyTo(result, info.FirstScanOffset);
        jpeg.AsSpan(info.FirstScanOffset).CopyTo(result.AsSpan(info.FirstScanOffset + StandardDht.Length));
        return result;
    }
}
