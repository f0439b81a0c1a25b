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
