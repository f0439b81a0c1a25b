using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace SecureCam.Network.Listening;

/// <summary>
/// Parses the kernel's socket tables /proc/net/{tcp,tcp6,udp,udp6} (format: Documentation/networking/proc_net_tcp.rst).
/// There is no .NET API that lists listening sockets together with their inodes
/// (IPGlobalProperties.GetActiveTcpListeners gives no owner), so we read the tables ourselves.
/// </summary>
public static class ProcNetParser
{
    /// <summary>TCP_LISTEN in include/net/tcp_states.h.</summary>
    private const string TcpListen = "0A";

    /// <summary>TCP_CLOSE: what an unconnected UDP socket shows.</summary>
    private const string UdpUnconnected = "07";

    public static IReadOnlyList<ListeningSocket> Parse(string table, SocketProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(table);
        var result = new List<ListeningSocket>();
        foreach (var rawLine in table.Split('\n'))
        {
            // "  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode ..."
            var fields = rawLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || !fields[0].EndsWith(':'))
            {
                continue; // the header line, or a blank line
            }

            var state = fields[3];
            var wanted = protocol == SocketProtocol.Tcp ? TcpListen : UdpUnconnected;
            if (!string.Equals(state, wanted, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A line that does not read (another kernel's format, a table cut short) is skipped, not fatal.
            if (!TryParseEndpoint(fields[2], out var remoteAddress, out _)
                || !TryParseEndpoint(fields[1], out var address, out var port)
                || !long.TryParse(fields[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
            {
                continue;
            }

            if (protocol == SocketProtocol.Udp && !IsAny(remoteAddress))
            {
                continue; // a connected UDP socket talks to one peer; it does not serve
            }

            result.Add(new ListeningSocket(protocol, address, port, inode));
        }

        return result;
    }

    /// <summary>
    /// "0100007F:1F90" → 127.0.0.1:8080. The kernel prints each 32-bit word of the address as a
    /// host-order integer (so on little-endian machines the bytes come out reversed); the port is plain hex.
    /// </summary>
    public static (IPAddress Address, int Port) ParseEndpoint(string text) =>
        TryParseEndpoint(text, out var address, out var port)
            ? (address, port)
            : throw new FormatException($"Not an address:port pair from /proc/net: {text}");

    /// <summary><see cref="ParseEndpoint"/> that answers false instead of throwing.</summary>
    public static bool TryParseEndpoint(string text, out IPAddress address, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = IPAddress.None;
        port = 0;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var hex = text.AsSpan(0, colon);
        if (hex.Length is not (8 or 32))
        {
            return false;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.Slice(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var span = bytes.AsSpan(word * 4, 4);
            // The value was read from memory in host order; write it back the same way to get the wire bytes.
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(span, value);
            }
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out port) || port < 0 || port > 0xFFFF)
        {
            port = 0;
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
