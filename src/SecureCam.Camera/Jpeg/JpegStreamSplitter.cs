namespace SecureCam.Camera.Jpeg;

/// <summary>
/// Cuts a byte stream of concatenated JPEGs (rpicam-vid, ffmpeg -f mjpeg, a V4L2 buffer) into whole
/// frames. It does not just look for FFD8/FFD9: it walks the marker segments by their lengths up to
/// SOS, because APP segments (EXIF thumbnails) may hold FFD8/FFD9 bytes; only inside entropy-coded
/// data, where 0xFF is always stuffed, is the next marker found by scanning. Garbage between frames
/// is discarded; a frame cut short by a new SOI, a broken segment, a frame without SOF or SOS, or a
/// frame over the size limit is skipped. Nothing that is not a complete JPEG is ever emitted.
/// </summary>
internal sealed class JpegStreamSplitter
{
    private readonly int _maxFrameBytes;
    private readonly Action<byte[], JpegFrameInfo> _onFrame;
    private readonly Action<string> _onSkipped;
    private readonly Action<long> _onDiscarded;

    private byte[] _buffer;
    private int _length;
    private int _position;
    private State _state = State.Seeking;
    private bool _sawScan;
    private bool _sawHuffman;
    private int _firstScanOffset;
    private int _width;
    private int _height;

    public JpegStreamSplitter(int maxFrameBytes, Action<byte[], JpegFrameInfo> onFrame, Action<string> onSkipped, Action<long> onDiscarded)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 64);
        _maxFrameBytes = maxFrameBytes;
        _onFrame = onFrame;
        _onSkipped = onSkipped;
        _onDiscarded = onDiscarded;
        _buffer = new byte[Math.Min(maxFrameBytes, 256 * 1024)];
    }

    private enum State
    {
        /// <summary>Between frames: looking for SOI.</summary>
        Seeking,

        /// <summary>Inside a frame, at a marker segment (header tables, or between scans).</summary>
        Segments,

        /// <summary>Inside entropy-coded data after SOS.</summary>
        EntropyData,
    }

    /// <summary>Feeds the next piece of the stream; complete frames are emitted before it returns.</summary>
    public void Push(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            // Never hold more than one frame's worth: past the limit the current frame is skipped.
            int room = Math.Max(0, _maxFrameBytes + 2 - _length);
            var part = data[..Math.Min(data.Length, Math.Max(room, 1))];
            Append(part);
            data = data[part.Length..];
            Process();
        }
    }

    /// <summary>Throws away a partial frame (say, at the end of a V4L2 buffer or when a command restarts).</summary>
    public void Reset()
    {
        if (_state != State.Seeking && _length > 0)
        {
            _onSkipped("truncated frame (stream ended inside it)");
        }
        else if (_length > 0)
        {
            _onDiscarded(_length);
        }

        _length = 0;
        StartSeeking();
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + data.Length));
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void Process()
    {
        while (Step())
        {
        }

        if (_state != State.Seeking && _length > _maxFrameBytes)
        {
            SkipFrame($"frame larger than {_maxFrameBytes} bytes", _length);
        }
    }

    /// <summary>One parsing step; false when more input is needed.</summary>
    private bool Step() => _state switch
    {
        State.Seeking => SeekStartOfImage(),
        State.Segments => ReadSegment(),
        _ => ScanEntropyData(),
    };

    private bool SeekStartOfImage()
    {
        var span = _buffer.AsSpan(0, _length);
        int at = 0;
        while (true)
        {
            int ff = span[at..].IndexOf((byte)0xFF);
            if (ff < 0)
            {
                Discard(_length);
                return false;
            }

            at += ff;
            if (at + 1 >= _length)
            {
                // Keep a trailing 0xFF: it may be the first half of the next SOI.
                Discard(at);
                return false;
            }

            if (span[at + 1] == JpegMarkers.Soi)
            {
                Discard(at);
                BeginFrame();
                return true;
            }

            at++;
        }
    }

    private bool ReadSegment()
    {
        if (_position + 2 > _length)
        {
            return false;
        }

        if (_buffer[_position] != 0xFF)
        {
            return SkipFrame("expected a marker between segments", _position);
        }

        byte marker = _buffer[_position + 1];
        if (marker == 0xFF)
        {
            // Fill byte before a marker.
            _position++;
            return true;
        }

        switch (marker)
        {
            case JpegMarkers.Soi:
                return SkipFrame("truncated frame (a new SOI began inside it)", _position);
            case JpegMarkers.Eoi:
                return _sawScan ? EndFrame(_position + 2) : SkipFrame("EOI before any image data", _position + 2);
            case 0x00:
                return SkipFrame("invalid marker 0xFF00 between segments", _position + 2);
        }

        if (JpegMarkers.IsStandalone(marker))
        {
            _position += 2;
            return true;
        }

        if (_position + 4 > _length)
        {
            return false;
        }

        int length = (_buffer[_position + 2] << 8) | _buffer[_position + 3];
        if (length < 2)
        {
            return SkipFrame($"segment 0x{marker:X2} with impossible length {length}", _position + 2);
        }

        if (_position + 2 + length > _maxFrameBytes)
        {
            return SkipFrame($"frame larger than {_maxFrameBytes} bytes", Math.Min(_length, _position + 2 + length));
        }

        if (_position + 2 + length > _length)
        {
            return false;
        }

        if (JpegMarkers.IsStartOfFrame(marker) && length >= 7)
        {
            _height = (_buffer[_position + 5] << 8) | _buffer[_position + 6];
            _width = (_buffer[_position + 7] << 8) | _buffer[_position + 8];
        }
        else if (marker == JpegMarkers.Dht)
        {
            _sawHuffman = true;
        }
        else if (marker == JpegMarkers.Sos)
        {
            if (!_sawScan)
            {
                _firstScanOffset = _position;
            }

            _sawScan = true;
            _position += 2 + length;
            _state = State.EntropyData;
            return true;
        }

        _position += 2 + length;
        return true;
    }

    private bool ScanEntropyData()
    {
        while (true)
        {
            int ff = _buffer.AsSpan(_position, _length - _position).IndexOf((byte)0xFF);
            if (ff < 0)
            {
                _position = _length;
                return false;
            }

            int at = _position + ff;
            if (at + 1 >= _length)
            {
                _position = at;
                return false;
            }

            byte next = _buffer[at + 1];
            if (next == 0x00 || next is >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7)
            {
                // Stuffed data byte or restart marker: still inside the scan.
                _position = at + 2;
                continue;
            }

            if (next == 0xFF)
            {
                _position = at + 1;
                continue;
            }

            if (next == JpegMarkers.Eoi)
            {
                return EndFrame(at + 2);
            }

            if (next == JpegMarkers.Soi)
            {
                return SkipFrame("truncated frame (a new SOI began inside it)", at);
            }

            // Another segment (DHT, SOS of a progressive JPEG's next scan…): walk it by its length.
            _position = at;
            _state = State.Segments;
            return true;
        }
    }

    private bool EndFrame(int end)
    {
        if (_width <= 0 || _height <= 0)
        {
            return SkipFrame("frame without a start-of-frame segment", end);
        }

        var jpeg = _buffer.AsSpan(0, end).ToArray();
        var info = new JpegFrameInfo(_width, _height, _sawHuffman, _firstScanOffset);
        RemoveFront(end);
        StartSeeking();
        _onFrame(jpeg, info);
        return true;
    }

    /// <summary>Drops the current frame's first <paramref name="consumed"/> bytes and looks for the next SOI.</summary>
    private bool SkipFrame(string reason, int consumed)
    {
        RemoveFront(Math.Max(2, Math.Min(consumed, _length)));
        StartSeeking();
        _onSkipped(reason);
        return true;
    }

    private void BeginFrame()
    {
        _state = State.Segments;
        _position = 2;
        _sawScan = false;
        _sawHuffman = false;
        _firstScanOffset = 0;
        _width = 0;
        _height = 0;
    }

    private void StartSeeking()
    {
        _state = State.Seeking;
        _position = 0;
    }

    private void Discard(int count)
    {
        if (count <= 0)
        {
            return;
        }

        RemoveFront(count);
        _onDiscarded(count);
    }

    private void RemoveFront(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _length - count);
        _length -= count;
    }
}
