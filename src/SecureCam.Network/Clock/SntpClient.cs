using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SecureCam.Network.Clock;

/// <summary>
/// A one-shot SNTP v4 client (RFC 4330): one request, one answer, offset = ((T2 − T1) + (T3 − T4)) / 2.
/// .NET has no NTP client and no NuGet package for it can be had here, so this is hand written; it only
/// measures, it never sets the clock.
/// </summary>
public static class SntpClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    private const int PacketLength = 48;
    private const int OriginateOffset = 24;
    private const int ReceiveOffset = 32;
    private const int TransmitOffset = 40;

    /// <summary>
    /// Asks <paramref name="server"/> for the time. Returns null when no valid answer arrived within
    /// <paramref name="timeout"/> (name resolution included): offline, blocked, or not an NTP server.
    /// </summary>
    public static Task<SntpResult?> QueryAsync(NtpServerAddress server, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        QueryAsync(server, timeout, TimeProvider.System, cancellationToken);

    /// <summary>As above, with the clock that stamps the request and runs the timeout (a fake one in tests).</summary>
    public static async Task<SntpResult?> QueryAsync(NtpServerAddress server, TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(time);
        using var timer = new CancellationTokenSource(timeout ?? DefaultTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await ExchangeAsync(server, time, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            return null; // unresolvable name, unreachable network, ICMP port unreachable
        }
    }

    private static async Task<SntpResult?> ExchangeAsync(NtpServerAddress server, TimeProvider time, CancellationToken cancellationToken)
    {
        var address = IPAddress.TryParse(server.Host, out var literal)
            ? literal
            : (await Dns.GetHostAddressesAsync(server.Host, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(new IPEndPoint(address, server.Port), cancellationToken).ConfigureAwait(false);

        var request = new byte[PacketLength];
        request[0] = 0b00_100_011; // LI 0, version 4, mode 3 (client)
        var t1 = time.GetUtcNow().UtcDateTime;
        NtpTimestamp.Write(request.AsSpan(TransmitOffset), t1);
        await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        var response = new byte[PacketLength * 2];
        while (true)
        {
            var length = await socket.ReceiveAsync(response, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var t4 = time.GetUtcNow().UtcDateTime;
            var result = Interpret(server, response.AsSpan(0, length), request.AsSpan(TransmitOffset, 8), t1, t4);
            if (result is not null)
            {
                return result;
            }

            // Not the answer to our request (a stray or forged datagram): keep waiting until the deadline.
        }
    }

    private static SntpResult? Interpret(NtpServerAddress server, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> ourTransmit, DateTime t1, DateTime t4)
    {
        if (packet.Length < PacketLength)
        {
            return null;
        }

        var mode = packet[0] & 0b111;
        var stratum = packet[1];
        // RFC 4330 section 5: mode 4 (server); stratum 0 is a kiss-o'-death; the originate timestamp must
        // echo our transmit timestamp; a zero transmit timestamp means the server has no time to give.
        if (mode != 4 || stratum == 0 || !packet.Slice(OriginateOffset, 8).SequenceEqual(ourTransmit)
            || NtpTimestamp.IsZero(packet.Slice(TransmitOffset, 8)))
        {
            return null;
        }

        var t2 = NtpTimestamp.Read(packet.Slice(ReceiveOffset, 8));
        var t3 = NtpTimestamp.Read(packet.Slice(TransmitOffset, 8));
        var offset = ((t2 - t1) + (t3 - t4)) / 2;
        var roundTrip = (t4 - t1) - (t3 - t2);
        return new SntpResult(server, offset, roundTrip < TimeSpan.Zero ? TimeSpan.Zero : roundTrip, stratum);
    }
}

/// <summary>
/// What one SNTP exchange found: <see cref="Offset"/> is how far the local clock is behind the server
/// (positive: the local clock is slow), <see cref="RoundTrip"/> the network delay.
/// </summary>
public sealed record SntpResult(NtpServerAddress Server, TimeSpan Offset, TimeSpan RoundTrip, int Stratum);

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

/// <summary>
/// The 64-bit NTP timestamp: seconds since 1900-01-01 and a 32-bit fraction. RFC 4330 section 3: when
/// the top bit of the seconds is 0 the time lies in era 1 (from 2036-02-07), so the format keeps working
/// past the 2036 wrap.
/// </summary>
public static class NtpTimestamp
{
    private static readonly DateTime Era0 = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Era1 = new(2036, 2, 7, 6, 28, 16, DateTimeKind.Utc);

    public static DateTime Read(ReadOnlySpan<byte> bytes)
    {
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        var origin = (seconds & 0x8000_0000) != 0 ? Era0 : Era1;
        var ticks = (long)seconds * TimeSpan.TicksPerSecond + (long)((ulong)fraction * TimeSpan.TicksPerSecond >> 32);
        return origin.AddTicks(ticks);
    }

    public static void Write(Span<byte> bytes, DateTime utc)
    {
        var origin = utc >= Era1 ? Era1 : Era0;
        var ticks = (utc - origin).Ticks;
        var seconds = (uint)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (uint)(((ulong)(ticks % TimeSpan.TicksPerSecond) << 32) / TimeSpan.TicksPerSecond);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, seconds);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], fraction);
    }

    /// <summary>True when all eight bytes are zero (the "unknown" timestamp).</summary>
    public static bool IsZero(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64BigEndian(bytes) == 0;
}
