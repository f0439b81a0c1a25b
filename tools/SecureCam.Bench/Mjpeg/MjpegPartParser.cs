using System.Text;
using SecureCam.Bench.Http;

namespace SecureCam.Bench.Mjpeg;

/// <summary>
/// A push parser for a multipart/x-mixed-replace body (an MJPEG stream): fed slices of the body as
/// they arrive, it reports each part when its last byte is in, with its Content-Length,
/// X-Frame-Sequence and X-Capture-Time headers. Part bodies are skipped by count, never copied, so
/// one parser costs a few hundred bytes however large the frames are — 200 of them must run next to
/// the server on two cores. A part without Content-Length is delimited by scanning for the next
/// boundary instead (what multipart itself defines).
/// </summary>
internal sealed class MjpegPartParser : IBodyConsumer
{
    // Part header lines are short ("Content-Length: 104857"); a longer line while looking for a
    // boundary is skipped (resynchronising after garbage), inside part headers it is an error.
    private const int MaxLineLength = 1024;

    private readonly IMjpegPartObserver _observer;
    private readonly byte[] _boundaryLine;      // "--B"
    private readonly byte[] _closeLine;         // "--B--"
    private readonly byte[] _delimiter;         // "\r\n--B", ends a part that has no Content-Length
    private readonly byte[] _line = new byte[MaxLineLength];
    private int _lineLength;
    private bool _lineOverflow;

    private State _state = State.SeekBoundary;
    private long _bodyRemaining;
    private long _bodyLength;
    private int _delimiterMatched;
    private long _contentLength;
    private long _sequence;
    private long _captureTime;
    private int _bodyPrefix;     // first two body bytes, to check for the JPEG SOI marker FF D8
    private int _bodyPrefixCount;

    public MjpegPartParser(string boundary, IMjpegPartObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        _observer = observer;
        _boundaryLine = Encoding.ASCII.GetBytes("--" + boundary);
        _closeLine = Encoding.ASCII.GetBytes("--" + boundary + "--");
        _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        if (boundary.Contains('\r', StringComparison.Ordinal) || boundary.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A multipart boundary has no CR or LF.", nameof(boundary));
        }
    }

    private enum State
    {
        SeekBoundary,
        PartHeaders,
        Body,
        ScanBody,
        Closed,
    }

    /// <summary>Parts reported so far.</summary>
    public long Parts { get; private set; }

    /// <summary>Lines skipped while looking for a boundary after the first part (a sign of a wrong Content-Length).</summary>
    public long SkippedLines { get; private set; }

    /// <summary>True once the closing boundary ("--B--") was read.</summary>
    public bool IsClosed => _state == State.Closed;

    public void Consume(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.Body:
                    var take = (int)Math.Min(_bodyRemaining, data.Length);
                    NoteBodyPrefix(data[..take]);
                    _bodyRemaining -= take;
                    data = data[take..];
                    if (_bodyRemaining == 0)
                    {
                        CompletePart(_contentLength);
                        _state = State.SeekBoundary;
                    }

                    break;
                case State.ScanBody:
                    data = ScanBody(data);
                    break;
                case State.SeekBoundary:
                case State.PartHeaders:
                    data = ReadLine(data);
                    break;
                case State.Closed:
                    return; // an epilogue after the closing boundary is ignored, as multipart says
            }
        }
    }

    private ReadOnlySpan<byte> ReadLine(ReadOnlySpan<byte> data)
    {
        var newline = data.IndexOf((byte)'\n');
        var piece = newline < 0 ? data : data[..newline];
        if (!_lineOverflow && _lineLength + piece.Length <= MaxLineLength)
        {
            piece.CopyTo(_line.AsSpan(_lineLength));
            _lineLength += piece.Length;
        }
        else
        {
            _lineOverflow = true;
        }

        if (newline < 0)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        var line = _line.AsSpan(0, _lineLength);
        if (line.EndsWith((byte)'\r'))
        {
            line = line[..^1];
        }

        var overflow = _lineOverflow;
        _lineLength = 0;
        _lineOverflow = false;
        if (_state == State.SeekBoundary)
        {
            OnBoundarySearchLine(line, overflow);
        }
        else
        {
            OnHeaderLine(line, overflow);
        }

        return data[(newline + 1)..];
    }

    private void OnBoundarySearchLine(ReadOnlySpan<byte> line, bool overflow)
    {
        // RFC 2046 allows whitespace after a boundary on its line.
        var trimmed = line.TrimEnd((byte)' ').TrimEnd((byte)'\t');
        if (!overflow && trimmed.SequenceEqual(_boundaryLine))
        {
            _state = State.PartHeaders;
            _contentLength = -1;
            _sequence = -1;
            _captureTime = -1;
            return;
        }

        if (!overflow && trimmed.SequenceEqual(_closeLine))
        {
            _state = State.Closed;
            return;
        }

        // Empty lines (the CRLF after a part) and the preamble before the first boundary are normal.
        if ((overflow || !line.IsEmpty) && Parts > 0)
        {
            SkippedLines++;
        }
    }

    private void OnHeaderLine(ReadOnlySpan<byte> line, bool overflow)
    {
        if (overflow)
        {
            throw new InvalidDataException("MJPEG part header line longer than 1 KiB");
        }

        if (line.IsEmpty)
        {
            _bodyPrefix = 0;
            _bodyPrefixCount = 0;
            if (_contentLength >= 0)
            {
                _bodyRemaining = _contentLength;
                _state = State.Body;
                if (_contentLength == 0)
                {
                    CompletePart(0);
                    _state = State.SeekBoundary;
                }
            }
            else
            {
                _bodyLength = 0;
                _delimiterMatched = 0;
                _state = State.ScanBody;
            }

            return;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw new InvalidDataException("malformed MJPEG part header: " + Encoding.Latin1.GetString(line));
        }

        var name = line[..colon].Trim((byte)' ');
        var value = line[(colon + 1)..];
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            _contentLength = ParseNumber(value, "Content-Length");
        }
        else if (Ascii.EqualsIgnoreCase(name, "X-Frame-Sequence"u8))
        {
            _sequence = ParseNumber(value, "X-Frame-Sequence");
        }
        else if (Ascii.EqualsIgnoreCase(name, "X-Capture-Time"u8))
        {
            _captureTime = ParseNumber(value, "X-Capture-Time");
        }
    }

    private static long ParseNumber(ReadOnlySpan<byte> value, string header)
    {
        if (!HttpResponseHead.TryParseDecimal(value, out var number) || number < 0)
        {
            throw new InvalidDataException($"bad {header} in MJPEG part: '{Encoding.Latin1.GetString(value).Trim()}'");
        }

        return number;
    }

    // Without Content-Length the part ends at CRLF "--B". CR appears in the delimiter only at its
    // start (boundaries have no CR), so after a mismatch the search can restart at the next byte,
    // and only the last CR of a slice can begin a delimiter that continues in the next slice.
    private ReadOnlySpan<byte> ScanBody(ReadOnlySpan<byte> data)
    {
        if (_delimiterMatched > 0)
        {
            var compare = Math.Min(_delimiter.Length - _delimiterMatched, data.Length);
            if (data[..compare].SequenceEqual(_delimiter.AsSpan(_delimiterMatched, compare)))
            {
                _delimiterMatched += compare;
                data = data[compare..];
                if (_delimiterMatched == _delimiter.Length)
                {
                    EndScannedPart();
                }

                return data;
            }

            // Those bytes were body after all.
            NoteBodyPrefix(_delimiter.AsSpan(0, _delimiterMatched));
            _bodyLength += _delimiterMatched;
            _delimiterMatched = 0;
        }

        var found = data.IndexOf(_delimiter);
        if (found >= 0)
        {
            NoteBodyPrefix(data[..found]);
            _bodyLength += found;
            EndScannedPart();
            return data[(found + _delimiter.Length)..];
        }

        var tailStart = Math.Max(0, data.Length - (_delimiter.Length - 1));
        var lastCr = data[tailStart..].LastIndexOf((byte)'\r');
        var bodyEnd = data.Length;
        if (lastCr >= 0)
        {
            var candidate = data[(tailStart + lastCr)..];
            if (_delimiter.AsSpan().StartsWith(candidate))
            {
                bodyEnd = tailStart + lastCr;
                _delimiterMatched = candidate.Length;
            }
        }

        NoteBodyPrefix(data[..bodyEnd]);
        _bodyLength += bodyEnd;
        return ReadOnlySpan<byte>.Empty;
    }

    private void EndScannedPart()
    {
        CompletePart(_bodyLength);
        _delimiterMatched = 0;

        // The delimiter consumed "--B" of the boundary line; the rest of that line ("", or "--")
        // is read as a line that already starts with it.
        _boundaryLine.CopyTo(_line, 0);
        _lineLength = _boundaryLine.Length;
        _lineOverflow = false;
        _state = State.SeekBoundary;
    }

    private void NoteBodyPrefix(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length && _bodyPrefixCount < 2; i++)
        {
            _bodyPrefix = (_bodyPrefix << 8) | bytes[i];
            _bodyPrefixCount++;
        }
    }

    private void CompletePart(long length)
    {
        Parts++;
        var isJpeg = _bodyPrefixCount == 2 && _bodyPrefix == 0xFFD8;
        _observer.OnPart(new MjpegPart(length, _sequence, _captureTime, isJpeg));
    }
}
