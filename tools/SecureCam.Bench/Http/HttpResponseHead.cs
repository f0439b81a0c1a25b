using System.Buffers.Text;
using System.Text;

namespace SecureCam.Bench.Http;

/// <summary>The status line and the headers of an HTTP/1.1 response that the bench needs.</summary>
internal sealed record HttpResponseHead(int StatusCode, string? ContentType, long? ContentLength, bool IsChunked)
{
    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>
    /// Parses a response head if <paramref name="buffer"/> holds all of it. Returns false while more
    /// bytes are needed; <paramref name="headLength"/> is then the count of bytes it used (through the
    /// blank line). Throws <see cref="InvalidDataException"/> when the bytes are not an HTTP/1.x response.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out HttpResponseHead? head, out int headLength)
    {
        head = null;
        headLength = 0;
        var end = buffer.IndexOf(EndOfHead);
        if (end < 0)
        {
            return false;
        }

        headLength = end + EndOfHead.Length;
        var text = Encoding.Latin1.GetString(buffer[..end]);
        var lines = text.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(status[1], out var code))
        {
            throw new InvalidDataException($"not an HTTP/1.x status line: '{Shorten(lines[0])}'");
        }

        string? contentType = null;
        long? contentLength = null;
        var chunked = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"malformed header line: '{Shorten(line)}'");
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value.ToString();
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.TryParse(value, out var length) && length >= 0
                    ? length
                    : throw new InvalidDataException($"bad Content-Length: '{Shorten(value.ToString())}'");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
        }

        head = new HttpResponseHead(code, contentType, chunked ? null : contentLength, chunked);
        return true;
    }

    /// <summary>The multipart boundary named in the Content-Type, without quotes; null when there is none.</summary>
    public string? MultipartBoundary()
    {
        if (ContentType is null || !ContentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var parameter in ContentType.Split(';').Skip(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && parameter.AsSpan(0, equals).Trim().Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                var value = parameter[(equals + 1)..].Trim().Trim('"');
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    /// <summary>Parses a decimal header value such as Content-Length from raw bytes; false when it is not one.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> value, out long result)
    {
        value = value.Trim((byte)' ').Trim((byte)'\t');
        return Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
