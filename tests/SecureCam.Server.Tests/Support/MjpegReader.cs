using System.Globalization;
using System.Text;

namespace SecureCam.Server.Tests.Support;

/// <summary>
/// A strict reader of multipart/x-mixed-replace as SecureCam writes it: "--B\r\n" first, then per part
/// headers, a blank line, Content-Length bytes of JPEG, and "\r\n--B\r\n" right after the frame.
/// Throws on any deviation, so format tests can rely on it.
/// </summary>
internal sealed class MjpegReader(Stream stream, string boundary)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _openingRead;

    /// <summary>The next part, or null at the end of the stream.</summary>
    public async Task<MjpegPart?> ReadPartAsync(CancellationToken cancellationToken)
    {
        if (!_openingRead)
        {
            var opening = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (opening is null)
            {
                return null;
            }

            if (opening != "--" + boundary)
            {
                throw new InvalidDataException($"stream does not start with the boundary: '{opening}'");
            }

            _openingRead = true;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var length = int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture);
        var jpeg = new byte[length];
        await ReadExactlyAsync(jpeg, cancellationToken).ConfigureAwait(false);
        var received = DateTime.UtcNow;
        var crlf = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (crlf != string.Empty)
        {
            throw new InvalidDataException("no CRLF after the frame");
        }

        var next = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (next is not null && next != "--" + boundary)
        {
            throw new InvalidDataException($"the boundary does not follow the frame: '{next}'");
        }

        return new MjpegPart(
            long.Parse(headers["X-Frame-Sequence"], CultureInfo.InvariantCulture),
            long.Parse(headers["X-Capture-Time"], CultureInfo.InvariantCulture),
            jpeg,
            received,
            headers);
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (index >= 0)
            {
                var length = index - _start;
                if (length == 0 || _buffer[index - 1] != '\r')
                {
                    throw new InvalidDataException("a line not ended by CRLF");
                }

                var line = Encoding.ASCII.GetString(_buffer, _start, length - 1);
                _start = index + 1;
                return line;
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async Task ReadExactlyAsync(byte[] target, CancellationToken cancellationToken)
    {
        var copied = 0;
        while (copied < target.Length)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new EndOfStreamException("stream ended inside a frame");
            }

            var n = Math.Min(_end - _start, target.Length - copied);
            Buffer.BlockCopy(_buffer, _start, target, copied, n);
            _start += n;
            copied += n;
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("a header line longer than the buffer");
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }
}
