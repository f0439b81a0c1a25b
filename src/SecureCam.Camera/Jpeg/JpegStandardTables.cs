namespace SecureCam.Camera.Jpeg;

/// <summary>
/// The example tables of the JPEG standard (ITU-T T.81, Annex K): quantisation tables K.1/K.2 and
/// the Huffman tables K.3–K.6 that nearly every baseline encoder and MJPEG camera uses. They are
/// facts of the standard, given as the spec gives them (BITS = code counts per length 1..16, then
/// HUFFVAL in order). Also the zig-zag scan order (Figure A.6).
/// </summary>
internal static class JpegStandardTables
{
    /// <summary>K.1, luminance, natural (row-major) order.</summary>
    public static ReadOnlySpan<byte> LuminanceQuantization =>
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>K.2, chrominance, natural order.</summary>
    public static ReadOnlySpan<byte> ChrominanceQuantization =>
    [
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    ];

    /// <summary>Natural index of the coefficient at each zig-zag position.</summary>
    public static ReadOnlySpan<byte> ZigZagToNatural =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    public static ReadOnlySpan<byte> DcLuminanceBits => [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];

    public static ReadOnlySpan<byte> DcLuminanceValues => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    public static ReadOnlySpan<byte> DcChrominanceBits => [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];

    public static ReadOnlySpan<byte> DcChrominanceValues => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    public static ReadOnlySpan<byte> AcLuminanceBits => [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];

    public static ReadOnlySpan<byte> AcLuminanceValues =>
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];

    public static ReadOnlySpan<byte> AcChrominanceBits => [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

    public static ReadOnlySpan<byte> AcChrominanceValues =>
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];

    /// <summary>
    /// A complete DHT segment (marker, length, the four tables with classes/ids 0x00, 0x10, 0x01, 0x11):
    /// the one an MJPEG camera that omits its Huffman tables implicitly uses (per the AVI1/MJPEG convention).
    /// </summary>
    public static byte[] BuildDhtSegment()
    {
        var tables = new (byte ClassAndId, byte[] Bits, byte[] Values)[]
        {
            (0x00, DcLuminanceBits.ToArray(), DcLuminanceValues.ToArray()),
            (0x10, AcLuminanceBits.ToArray(), AcLuminanceValues.ToArray()),
            (0x01, DcChrominanceBits.ToArray(), DcChrominanceValues.ToArray()),
            (0x11, AcChrominanceBits.ToArray(), AcChrominanceValues.ToArray()),
        };
        int length = 2;
        foreach (var t in tables)
        {
            length += 1 + 16 + t.Values.Length;
        }

        var segment = new byte[2 + length];
        segment[0] = 0xFF;
        segment[1] = JpegMarkers.Dht;
        segment[2] = (byte)(length >> 8);
        segment[3] = (byte)length;
        int at = 4;
        foreach (var t in tables)
        {
            segment[at++] = t.ClassAndId;
            t.Bits.CopyTo(segment, at);
            at += 16;
            t.Values.CopyTo(segment, at);
            at += t.Values.Length;
        }

        return segment;
    }
}

/// <summary>Code and length per symbol, derived from BITS/HUFFVAL as in T.81 Annex C.</summary>
internal sealed class HuffmanEncodingTable
{
    private readonly ushort[] _codes = new ushort[256];
    private readonly byte[] _lengths = new byte[256];

    public HuffmanEncodingTable(ReadOnlySpan<byte> bits, ReadOnlySpan<byte> values)
    {
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < bits[length - 1]; i++)
            {
                var symbol = values[k++];
                _codes[symbol] = (ushort)code;
                _lengths[symbol] = (byte)length;
                code++;
            }

            code <<= 1;
        }

        if (k != values.Length)
        {
            throw new ArgumentException("Huffman BITS do not add up to the number of values.");
        }
    }

    public int Code(int symbol) => _codes[symbol];

    public int Length(int symbol) => _lengths[symbol];
}

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
