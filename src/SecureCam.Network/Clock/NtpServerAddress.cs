using System.Globalization;

namespace SecureCam.Network.Clock;

/// <summary>"HOST", "HOST:PORT", "[v6]:PORT" or a bare IPv6 address; the port defaults to 123.</summary>
public sealed record NtpServerAddress(string Host, int Port)
{
    public const int DefaultPort = 123;

    public static NtpServerAddress Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"Not an NTP server (HOST[:PORT]): {text}");
            }

            var host = text[1..close];
            var rest = text[(close + 1)..];
            return new NtpServerAddress(host, rest.Length == 0 ? DefaultPort : ParsePort(rest.TrimStart(':'), text));
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            return new NtpServerAddress(text, DefaultPort); // a name, or a bare IPv6 address
        }

        return new NtpServerAddress(text[..colon], ParsePort(text[(colon + 1)..], text));
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static int ParsePort(string port, string whole) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 65536
            ? value
            : throw new FormatException($"Not an NTP server (HOST[:PORT]): {whole}");
}
