namespace SecureCam.Camera.Jpeg;

/// <summary>Writes SOI, APP0 (JFIF), DQT, SOF0, DHT, DRI and SOS for a 3-component 4:2:0 baseline image.</summary>
internal static class JpegHeaderWriter
{
    public static byte[] Write(int width, int height, byte[] lumaTable, byte[] chromaTable, int restartIntervalMcus)
    {
        var output = new JpegOutputBuffer(1024);
        output.WriteMarker(JpegMarkers.Soi);

        // APP0 JFIF 1.01, no units, 1:1 pixel aspect, no thumbnail.
        output.WriteMarker(JpegMarkers.App0);
        output.WriteBytes([0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

        // DQT: both 8-bit tables, written in zig-zag order.
        output.WriteMarker(JpegMarkers.Dqt);
        output.WriteBytes([0, 2 + (2 * 65)]);
        WriteTable(output, 0, lumaTable);
        WriteTable(output, 1, chromaTable);

        // SOF0: 8-bit, Y sampled 2x2 with table 0, Cb and Cr 1x1 with table 1.
        output.WriteMarker(JpegMarkers.Sof0);
        output.WriteBytes([0, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);

        output.WriteBytes(JpegStandardTables.BuildDhtSegment());

        output.WriteMarker(JpegMarkers.Dri);
        output.WriteBytes([0, 4, (byte)(restartIntervalMcus >> 8), (byte)restartIntervalMcus]);

        // SOS: all three components, DC/AC tables 0 for Y and 1 for chroma, full spectral range.
        output.WriteMarker(JpegMarkers.Sos);
        output.WriteBytes([0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
        return output.ToArray();
    }

    private static void WriteTable(JpegOutputBuffer output, byte id, byte[] naturalOrder)
    {
        Span<byte> zigZag = stackalloc byte[65];
        zigZag[0] = id;
        var order = JpegStandardTables.ZigZagToNatural;
        for (int k = 0; k < 64; k++)
        {
            zigZag[k + 1] = naturalOrder[order[k]];
        }

        output.WriteBytes(zigZag);
    }
}
