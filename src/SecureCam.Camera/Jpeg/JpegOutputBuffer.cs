using System.Runtime.CompilerServices;

namespace SecureCam.Camera.Jpeg;

/// <summary>
/// A growable byte buffer that also writes entropy-coded bits MSB first, stuffing a 0x00 after
/// every 0xFF data byte as T.81 requires. Reused across frames so encoding allocates only the
/// final frame array.
/// </summary>
internal sealed class JpegOutputBuffer
{
    private byte[] _buffer;
    private int _length;
    private ulong _bits;
    private int _bitCount;

    public JpegOutputBuffer(int initialCapacity = 64 * 1024) => _buffer = new byte[initialCapacity];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Reset()
    {
        _length = 0;
        _bits = 0;
        _bitCount = 0;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        EnsureRoom(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteMarker(byte marker)
    {
        EnsureRoom(2);
        _buffer[_length++] = 0xFF;
        _buffer[_length++] = marker;
    }

    /// <summary>Appends the low <paramref name="count"/> bits of <paramref name="value"/> (count ≤ 24).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBits(int value, int count)
    {
        _bits = (_bits << count) | ((uint)value & ((1u << count) - 1));
        _bitCount += count;
        if (_bitCount >= 32)
        {
            EmitWholeBytes();
        }
    }

    /// <summary>Pads the last byte with 1-bits (T.81 F.1.2.3) so the next marker is byte-aligned.</summary>
    public void AlignToByte()
    {
        var pad = (8 - (_bitCount & 7)) & 7;
        if (pad > 0)
        {
            WriteBits((1 << pad) - 1, pad);
        }

        EmitWholeBytes();
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private void EmitWholeBytes()
    {
        EnsureRoom(16);
        while (_bitCount >= 8)
        {
            _bitCount -= 8;
            var b = (byte)(_bits >> _bitCount);
            _buffer[_length++] = b;
            if (b == 0xFF)
            {
                _buffer[_length++] = 0x00;
            }
        }

        _bits &= (1UL << _bitCount) - 1;
    }

    private void EnsureRoom(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}

/// <summary>The JPEG marker codes we read or write (the byte after 0xFF).</summary>
internal static class JpegMarkers
{
    public const byte Soi = 0xD8;
    public const byte Eoi = 0xD9;
    public const byte Sos = 0xDA;
    public const byte Dqt = 0xDB;
    public const byte Dri = 0xDD;
    public const byte Dht = 0xC4;
    public const byte Sof0 = 0xC0;
    public const byte App0 = 0xE0;
    public const byte Rst0 = 0xD0;
    public const byte Rst7 = 0xD7;
    public const byte Tem = 0x01;

    /// <summary>Start-of-frame markers C0–CF except DHT (C4), JPG (C8) and DAC (CC).</summary>
    public static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    /// <summary>Markers that stand alone, without a length field.</summary>
    public static bool IsStandalone(byte marker) => marker is (>= Rst0 and <= Rst7) or Soi or Eoi or Tem;
}

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
