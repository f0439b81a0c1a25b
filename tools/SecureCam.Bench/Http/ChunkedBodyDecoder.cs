using System.Globalization;

namespace SecureCam.Bench.Http;

/// <summary>
/// Decodes an HTTP/1.1 chunked body as it streams in (RFC 9112 §7.1), handing the chunk data to the
/// next consumer as slices of the input: no copy of the payload. Kestrel sends an endless MJPEG
/// response this way, and nginx re-chunks what it proxies.
/// </summary>
internal sealed class ChunkedBodyDecoder : IBodyConsumer
{
    private const int MaxSizeLineLength = 1024;

    private readonly IBodyConsumer _next;
    private State _state = State.SizeLine;
    private long _chunkRemaining;
    private long _size;
    private int _sizeDigits;
    private bool _inExtension;
    private int _lineLength;
    private int _crlfSeen;

    public ChunkedBodyDecoder(IBodyConsumer next)
    {
        _next = next;
    }

    private enum State
    {
        SizeLine,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    /// <summary>True once the last (zero-size) chunk and the trailer have been read.</summary>
    public bool IsComplete => _state == State.Done;

    public void Consume(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.Data:
                    var take = (int)Math.Min(_chunkRemaining, data.Length);
                    _next.Consume(data[..take]);
                    _chunkRemaining -= take;
                    data = data[take..];
                    if (_chunkRemaining == 0)
                    {
                        _state = State.DataEnd;
                        _crlfSeen = 0;
                    }

                    break;
                case State.DataEnd:
                    // Exactly CRLF follows each chunk's data.
                    var expected = _crlfSeen == 0 ? (byte)'\r' : (byte)'\n';
                    if (data[0] != expected)
                    {
                        throw new InvalidDataException("chunked body: CRLF missing after chunk data");
                    }

                    data = data[1..];
                    if (++_crlfSeen == 2)
                    {
                        StartSizeLine();
                    }

                    break;
                case State.SizeLine:
                    data = ReadSizeLine(data);
                    break;
                case State.Trailer:
                    data = ReadTrailer(data);
                    break;
                case State.Done:
                    throw new InvalidDataException("chunked body: bytes after the last chunk");
            }
        }
    }

    private void StartSizeLine()
    {
        _state = State.SizeLine;
        _size = 0;
        _sizeDigits = 0;
        _inExtension = false;
        _lineLength = 0;
    }

    private ReadOnlySpan<byte> ReadSizeLine(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var b = data[0];
            data = data[1..];
            if (++_lineLength > MaxSizeLineLength)
            {
                throw new InvalidDataException("chunked body: chunk-size line too long");
            }

            if (b == '\n')
            {
                if (_sizeDigits == 0)
                {
                    throw new InvalidDataException("chunked body: chunk size missing");
                }

                if (_size == 0)
                {
                    _state = State.Trailer;
                    _lineLength = 0;
                }
                else
                {
                    _state = State.Data;
                    _chunkRemaining = _size;
                }

                return data;
            }

            if (_inExtension || b == '\r')
            {
                continue;
            }

            if (b is (byte)';' or (byte)' ' or (byte)'\t')
            {
                _inExtension = true;
                continue;
            }

            var digit = HexValue(b);
            if (digit < 0 || _sizeDigits >= 15)
            {
                throw new InvalidDataException($"chunked body: bad chunk size byte 0x{b.ToString("x2", CultureInfo.InvariantCulture)}");
            }

            _size = (_size << 4) | (uint)digit;
            _sizeDigits++;
        }

        return data;
    }

    private ReadOnlySpan<byte> ReadTrailer(ReadOnlySpan<byte> data)
    {
        // Trailer fields end with an empty line; the bench does not need their content.
        while (!data.IsEmpty)
        {
            var b = data[0];
            data = data[1..];
            if (b == '\n')
            {
                if (_lineLength == 0)
                {
                    _state = State.Done;
                    return data;
                }

                _lineLength = 0;
            }
            else if (b != '\r')
            {
                _lineLength++;
            }
        }

        return data;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
