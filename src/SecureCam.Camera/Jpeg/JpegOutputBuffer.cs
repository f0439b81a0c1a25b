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
