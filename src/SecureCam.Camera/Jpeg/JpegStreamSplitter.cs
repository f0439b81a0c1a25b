namespace SecureCam.Camera.Jpeg;

/// <summary>
/// Cuts a byte stream of concatenated JPEGs (rpicam-vid, ffmpeg -f mjpeg, a V4L2 buffer) into whole
/// frames. It does not just look for FFD8/FFD9: it walks the marker segments by their lengths up to
/// SOS, because APP segments (EXIF thumbnails) may hold FFD8/FFD9 bytes; only inside entropy-coded
/// data, where 0xFF is always stuffed, is the next marker found by scanning. Garbage between frames
/// is discarded; a frame cut short by a new SOI, a broken segment, a frame without SOF or SOS, or a
/// frame over the size limit is skipped. Nothing that is not a complete JPEG is ever emitted.
/// A broken frame is dropped only up to its SOI and the bytes after it are searched again: a frame
/// cut inside its header makes us follow a segment length into the next frame, and rescanning
/// finds that next frame's SOI instead of losing it (a second SOF in one "frame" betrays the mix).
/// </summary>
internal sealed class JpegStreamSplitter
{
    private readonly int _maxFrameBytes;
    private readonly Action<byte[], JpegFrameInfo> _onFrame;
    private readonly Action<string> _onSkipped;
    private readonly Action<long> _onDiscarded;

    /// <summary>The bytes held start at <see cref="_offset"/>: dropping bytes from the front moves the offset, not the bytes.</summary>
    private byte[] _storage;
    private int _offset;
    private int _length;
    private int _pendingSegmentAt = -1;
    private int _pendingScannedTo;
    private int _position;
    private State _state = State.Seeking;
    private bool _sawScan;
    private bool _sawHuffman;
    private int _restartInterval;
    private int _nextRestart;
    private int _restartsSeen;
    private int _scans;
    private int _components;
    private int _maxH;
    private int _maxV;
    private bool _baseline;
    private long _expectedMcus;
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
        _storage = new byte[Math.Min(maxFrameBytes, 256 * 1024)];
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
        _offset = 0;
        _pendingSegmentAt = -1;
        StartSeeking();
    }

    /// <summary>The bytes held, the current frame (or garbage before it) first.</summary>
    private Span<byte> Buffered => _storage.AsSpan(_offset, _length);

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_offset + _length + data.Length > _storage.Length)
        {
            // Move the held bytes to the front once, and keep at least as much room as they take, so the
            // copying stays linear in the bytes pushed however the stream is chopped.
            var needed = _length + data.Length;
            var target = needed * 2 > _storage.Length ? new byte[Math.Max(_storage.Length * 2, needed * 2)] : _storage;
            Buffer.BlockCopy(_storage, _offset, target, 0, _length);
            _storage = target;
            _offset = 0;
        }

        data.CopyTo(_storage.AsSpan(_offset + _length));
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
        var span = Buffered.Slice(0, _length);
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

        if (Buffered[_position] != 0xFF)
        {
            return SkipFrame("expected a marker between segments");
        }

        byte marker = Buffered[_position + 1];
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
                return _sawScan ? EndFrame(_position + 2) : SkipFrame("EOI before any image data");
            case 0x00:
                return SkipFrame("invalid marker 0xFF00 between segments");
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

        int length = (Buffered[_position + 2] << 8) | Buffered[_position + 3];
        if (length < 2)
        {
            return SkipFrame($"segment 0x{marker:X2} with impossible length {length}");
        }

        if (_position + 2 + length > _maxFrameBytes)
        {
            return SkipFrame($"frame larger than {_maxFrameBytes} bytes");
        }

        if (_position + 2 + length > _length)
        {
            // Table segments never hold an SOI followed by a marker; if one shows up inside what
            // this length claims, the length came from a cut frame running into the next one.
            // (APPn and COM in the header may carry embedded JPEGs, so they are exempt.)
            // Only the bytes that arrived since the last look are searched (less two, for an SOI cut in
            // half), so a long segment arriving in small pieces costs linear time, not quadratic.
            var from = _pendingSegmentAt == _position ? Math.Max(_position + 4, _pendingScannedTo - 2) : _position + 4;
            if (!MayEmbedAJpeg(marker) && ContainsStartOfImage(from, _length))
            {
                return SkipFrame($"truncated frame (segment 0x{marker:X2} runs into a new SOI)");
            }

            _pendingSegmentAt = _position;
            _pendingScannedTo = _length;
            return false;
        }

        var searchFrom = _pendingSegmentAt == _position ? Math.Max(_position + 4, _pendingScannedTo - 2) : _position + 4;
        if (!MayEmbedAJpeg(marker) && ContainsStartOfImage(searchFrom, _position + 2 + length))
        {
            return SkipFrame($"truncated frame (segment 0x{marker:X2} runs into a new SOI)");
        }

        if (JpegMarkers.IsStartOfFrame(marker))
        {
            if (_width > 0 || length < 8)
            {
                return SkipFrame(_width > 0 ? "two start-of-frame segments (a truncated frame ran into the next)" : "start-of-frame segment too short");
            }

            _height = (Buffered[_position + 5] << 8) | Buffered[_position + 6];
            _width = (Buffered[_position + 7] << 8) | Buffered[_position + 8];
            ReadSampling(marker, length);
        }
        else if (marker == JpegMarkers.Dht)
        {
            _sawHuffman = true;
        }
        else if (marker == JpegMarkers.Dri && length >= 4)
        {
            _restartInterval = (Buffered[_position + 4] << 8) | Buffered[_position + 5];
        }
        else if (marker == JpegMarkers.Sos)
        {
            if (!_sawScan)
            {
                _firstScanOffset = _position;
            }

            _sawScan = true;
            _nextRestart = 0;
            _scans++;
            if (_scans == 1)
            {
                ExpectMcus(length >= 3 ? Buffered[_position + 4] : 0);
            }

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
            int ff = Buffered.Slice(_position, _length - _position).IndexOf((byte)0xFF);
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

            byte next = Buffered[at + 1];
            if (next == 0x00)
            {
                // Stuffed data byte: still inside the scan.
                _position = at + 2;
                continue;
            }

            if (next is >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7)
            {
                // Restart markers come only after DRI and count RST0..RST7 in order; anything else
                // is garbage glued to a frame that was cut inside its image data.
                if (_restartInterval == 0 || next - JpegMarkers.Rst0 != _nextRestart)
                {
                    return SkipFrame("restart marker out of order (a truncated frame ran into garbage)");
                }

                _nextRestart = (_nextRestart + 1) & 7;
                _restartsSeen++;
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

            if (!MayFollowAScan(next))
            {
                return SkipFrame($"unexpected marker 0xFF{next:X2} in image data");
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
            return SkipFrame("frame without a start-of-frame segment");
        }

        if (_restartInterval > 0 && _expectedMcus > 0 && _scans == 1
            && _restartsSeen != ((_expectedMcus + _restartInterval - 1) / _restartInterval) - 1)
        {
            // With restart markers the count of intervals is known from the size, so a frame cut
            // inside its image data (and glued to garbage that happened to hold FFD9) shows.
            return SkipFrame("truncated image data (too few restart intervals)");
        }

        var jpeg = Buffered.Slice(0, end).ToArray();
        var info = new JpegFrameInfo(_width, _height, _sawHuffman, _firstScanOffset);
        RemoveFront(end);
        StartSeeking();
        _onFrame(jpeg, info);
        return true;
    }

    /// <summary>
    /// Drops the current frame's first <paramref name="consumed"/> bytes (by default just its SOI)
    /// and looks for the next SOI in what is left.
    /// </summary>
    private bool SkipFrame(string reason, int consumed = 2)
    {
        RemoveFront(Math.Max(2, Math.Min(consumed, _length)));
        StartSeeking();
        _onSkipped(reason);
        return true;
    }

    /// <summary>Remembers component count and the largest sampling factors from a baseline SOF.</summary>
    private void ReadSampling(byte marker, int length)
    {
        _baseline = marker is 0xC0 or 0xC1;
        _components = Buffered[_position + 9];
        if (length < 8 + (3 * _components))
        {
            _baseline = false;
            return;
        }

        for (int c = 0; c < _components; c++)
        {
            byte sampling = Buffered[_position + 11 + (3 * c)];
            _maxH = Math.Max(_maxH, sampling >> 4);
            _maxV = Math.Max(_maxV, sampling & 15);
        }
    }

    /// <summary>MCUs in a single baseline scan with <paramref name="scanComponents"/> components; 0 when not known.</summary>
    private void ExpectMcus(int scanComponents)
    {
        _expectedMcus = 0;
        if (!_baseline || _width <= 0 || _height <= 0 || _maxH == 0 || _maxV == 0)
        {
            return;
        }

        if (scanComponents == _components && _components > 1)
        {
            long across = (_width + (8 * _maxH) - 1) / (8 * _maxH);
            long down = (_height + (8 * _maxV) - 1) / (8 * _maxV);
            _expectedMcus = across * down;
        }
        else if (scanComponents == 1 && _components == 1)
        {
            _expectedMcus = (long)((_width + 7) / 8) * ((_height + 7) / 8);
        }
    }

    private static bool IsApplicationOrComment(byte marker) => marker is (>= 0xE0 and <= 0xEF) or 0xFE;

    /// <summary>EXIF thumbnails live in APPn before the first scan; after it, an APPn holding an SOI means a cut frame.</summary>
    private bool MayEmbedAJpeg(byte marker) => !_sawScan && IsApplicationOrComment(marker);

    /// <summary>Tables, a new scan, restart interval, DNL, APPn and COM may appear between scans; nothing else.</summary>
    private static bool MayFollowAScan(byte marker) =>
        marker is JpegMarkers.Dht or JpegMarkers.Dqt or JpegMarkers.Dri or JpegMarkers.Sos or 0xDC || IsApplicationOrComment(marker);

    private bool ContainsStartOfImage(int from, int to) =>
        from < to && Buffered.Slice(from, to - from).IndexOf([(byte)0xFF, JpegMarkers.Soi, (byte)0xFF]) >= 0;

    private void BeginFrame()
    {
        _state = State.Segments;
        _position = 2;
        _sawScan = false;
        _sawHuffman = false;
        _restartInterval = 0;
        _nextRestart = 0;
        _restartsSeen = 0;
        _scans = 0;
        _components = 0;
        _maxH = 0;
        _maxV = 0;
        _baseline = false;
        _expectedMcus = 0;
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
        _offset += count;
        _length -= count;
        _pendingSegmentAt = -1;
        if (_length == 0)
        {
            _offset = 0;
        }
    }
}

/// <summary>What the splitter learned while walking a frame's segments.</summary>
/// <param name="Width">From the start-of-frame segment.</param>
/// <param name="Height">From the start-of-frame segment.</param>
/// <param name="HasHuffmanTables">False for MJPEG cameras that leave out DHT and rely on the standard tables.</param>
/// <param name="FirstScanOffset">Offset of the first SOS marker, where a missing DHT is inserted.</param>
internal readonly record struct JpegFrameInfo(int Width, int Height, bool HasHuffmanTables, int FirstScanOffset);
